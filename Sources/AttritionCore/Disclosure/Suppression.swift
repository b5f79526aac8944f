/// Small-count suppression for tables that leave the program, audited: counts from 1 to
/// `threshold − 1` are withheld, then further counts, chosen by an interval attack, until no
/// withheld small count can be narrowed to fewer than `span` whole numbers (docs/methodology.md).
public struct Suppression: Equatable, Sendable {
    /// Counts from 1 to `threshold − 1` are withheld.
    public var threshold: Int
    /// The fewest whole numbers each withheld small count's provable range must span.
    public var span: Int

    /// Suppression of counts below `threshold` (default 5: counts 1 to 4 withheld), each left
    /// spanning at least `span` whole numbers (default 3) under attack.
    public init(threshold: Int = 5, span: Int = 3) {
        self.threshold = threshold
        self.span = span
    }

    /// A description for export metadata.
    public var description: String {
        "counts of 1 to \(threshold - 1) withheld as [c], with the rates and intervals computed from them; further counts withheld, "
            + "fewest and smallest first, until an interval attack proves none of them to within fewer than \(span) whole numbers"
    }

    /// The most work an audit may take on: small counts times count cells. Each small count's
    /// range is a pair of linear programmes over every count of the table, so the work grows
    /// with their product (150 groups of ten cases, about 3.6 million, took 10 s; 300 took 68 s).
    public static let largestAudit = 2_500_000

    /// Why `table` is too large to audit, before any linear programme is solved: its small counts
    /// and count cells, when their product passes `largestAudit`; nil when it can be audited.
    public func tooLargeToAudit(_ table: DataTable) -> String? {
        let counts = table.columns.indices.filter { table.columns[$0].role.isCount }
        var small = 0
        for row in table.rows {
            for column in counts {
                if case .count(let n) = row.cells[column], n >= 1, n < threshold { small += 1 }
            }
        }
        let cells = counts.count * table.rows.count
        guard small.multipliedReportingOverflow(by: cells).partialValue > Suppression.largestAudit else { return nil }
        return "the table has \(NumberText.thousands(table.rows.count)) rows with \(NumberText.thousands(small)) small counts among "
            + "\(NumberText.thousands(cells)) counts, more than the disclosure audit checks in reasonable time; "
            + "break cases down by a dimension with fewer groups, or filter to fewer cases (or --no-suppress for internal use only)"
    }

    /// `table` with its small counts withheld, secondary suppression chosen by attack, the rates
    /// of withheld counts withheld with them, and the audit of the result.
    public func apply(to table: DataTable) -> SuppressedTable {
        let relations = DisclosureRelations(table)
        let copiesOf = SuppressedTable.equalCells(relations)
        let unit = { (cell: CellAddress) -> [CellAddress] in copiesOf[cell] ?? [cell] }
        var values: [CellAddress: Int] = [:]
        for row in table.rows.indices {
            for column in relations.countColumns {
                if case .count(let n) = table.rows[row].cells[column] { values[CellAddress(row, column)] = n }
            }
        }
        let primary = Set(values.filter { $0.value >= 1 && $0.value < threshold }.keys.flatMap(unit))
        let facts = LinearFact.structural(relations)
        let attack = IntervalAttack(facts: facts, values: values, withheld: primary)
        let secondary = SecondaryChoice(facts: facts, values: values, unit: unit, span: span)
            .choose(protecting: primary.sorted(by: IntervalAttack.order), with: attack)

        var rows = table.rows
        for cell in attack.withheld {
            rows[cell.row].cells[cell.column] = .suppressed
            for column in relations.dependents[cell.column] ?? [] { rows[cell.row].cells[column] = .suppressed }
        }
        var published = table
        published.rows = rows
        let audit = DisclosureAudit(published, primary: primary, secondary: secondary, span: span)
        return SuppressedTable(table: published, audit: audit)
    }
}

/// A table after suppression, with the audit of what it publishes.
public struct SuppressedTable: Sendable {
    /// The table as published.
    public let table: DataTable
    /// The interval attack on it.
    public let audit: DisclosureAudit

    /// Small counts withheld.
    public var primary: Int { audit.primary.count }
    /// Further counts withheld to protect them.
    public var secondary: Int { audit.secondary }

    /// For each cell that must equal others (a repeated value, or a one-part sum such as a
    /// step's numerator and the stage it counts), all the cells of its value: withheld together.
    static func equalCells(_ relations: DisclosureRelations) -> [CellAddress: [CellAddress]] {
        var parent: [CellAddress: CellAddress] = [:]
        func root(_ cell: CellAddress) -> CellAddress {
            var cell = cell
            while let next = parent[cell], next != cell { cell = next }
            return cell
        }
        let pairs = relations.copies.flatMap { group in zip(group, group.dropFirst()).map { ($0, $1) } }
            + relations.sums.filter { $0.parts.count == 1 }.map { ($0.parts[0], $0.total) }
        for (a, b) in pairs {
            for cell in [a, b] where parent[cell] == nil { parent[cell] = cell }
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[rb] = ra }
        }
        let classes = Dictionary(grouping: parent.keys, by: root).mapValues { $0.sorted(by: IntervalAttack.order) }
        return Dictionary(uniqueKeysWithValues: parent.keys.map { ($0, classes[root($0)]!) })
    }
}

/// How further cells to withhold are chosen: while a withheld small count can be narrowed too
/// far, try the shown counts that share a fact with it (or with the withheld counts it is tied
/// to), fewest cells and smallest counts first, and withhold the first that protects it, else
/// the one that widens its range most; then show again, largest first, every further cell the
/// protection can do without.
struct SecondaryChoice {
    /// The facts the attack uses.
    let facts: [LinearFact]
    /// The true counts.
    let values: [CellAddress: Int]
    /// The cells standing for one value with a cell (withheld together).
    let unit: (CellAddress) -> [CellAddress]
    /// The fewest whole numbers a small count's range must span.
    let span: Int
    /// The cells that may be withheld (a table already released can no longer be changed).
    var eligible: (CellAddress) -> Bool = { _ in true }

    /// The further cells withheld (now withheld in `attack` too) so every cell of `primary` is protected.
    func choose(protecting primary: [CellAddress], with attack: IntervalAttack) -> Int {
        var factsOf: [CellAddress: [Int]] = [:]
        for (index, fact) in facts.enumerated() {
            for term in fact.terms { factsOf[term.cell, default: []].append(index) }
        }
        var added: [[CellAddress]] = []
        var queue = primary
        while let cell = queue.first {
            if attack.protects(cell, span: span) {
                queue.removeFirst()
                continue
            }
            guard let chosen = bestUnit(for: cell, factsOf: factsOf, attack: attack) else {
                queue.removeFirst()  // nothing left to withhold: the audit reports it
                continue
            }
            attack.withhold(chosen)
            added.append(chosen)
        }
        // Show again what is not needed, largest counts first. A small count's range is re-solved
        // only when a point where it is least or greatest had the cells shown again at other
        // values; otherwise those points still bound it and the range stands.
        typealias Witness = (least: [Double], greatest: [Double]?)
        var witnesses: [CellAddress: Witness] = [:]
        for cell in primary {
            if let found = attack.witnessedRange(of: cell), found.range.spans(atLeast: span) { witnesses[cell] = (found.least, found.greatest) }
        }
        let guarded = primary.filter { witnesses[$0] != nil }
        var kept = 0
        for chosen in added.sorted(by: { (values[$0[0]] ?? 0) > (values[$1[0]] ?? 0) }) {
            attack.show(chosen)
            var renewed: [CellAddress: Witness] = [:]
            var safe = true
            for cell in guarded {
                let witness = witnesses[cell]!
                if attack.holds(witness.least, at: chosen), witness.greatest.map({ attack.holds($0, at: chosen) }) ?? false { continue }
                guard let found = attack.witnessedRange(of: cell), found.range.spans(atLeast: span) else {
                    safe = false
                    break
                }
                renewed[cell] = (found.least, found.greatest)
            }
            if safe {
                witnesses.merge(renewed) { $1 }
            } else {
                attack.withhold(chosen)
                kept += chosen.count
            }
        }
        return kept
    }

    /// How many candidates are tried, cheapest first, before settling for the one that widened the range most.
    static let tries = 12

    /// The cheapest unit of shown cells whose withholding protects `cell`, else the one that
    /// widens its range most (cheapest among equals); nil when no shown count is tied to it.
    /// Counts sharing a fact with `cell` are tried first, then those of facts tied to it through
    /// other withheld counts; at most `tries` of each, cheapest first.
    private func bestUnit(for cell: CellAddress, factsOf: [CellAddress: [Int]], attack: IntervalAttack) -> [CellAddress]? {
        let direct = candidates(of: factsOf[cell] ?? [], attack: attack)
        var widest: (unit: [CellAddress], numbers: Int)?
        let before = attack.range(of: cell)?.wholeNumbers ?? 0
        for group in [direct, tiedCandidates(for: cell, factsOf: factsOf, attack: attack, excluding: Set(direct.joined()))] {
            for candidate in group.prefix(SecondaryChoice.tries) {
                attack.withhold(candidate)
                let range = attack.range(of: cell)
                attack.show(candidate)
                guard let range else { continue }
                if range.spans(atLeast: span) { return candidate }
                let numbers = range.wholeNumbers ?? Int.max
                if widest == nil || numbers > widest!.numbers { widest = (candidate, numbers) }
            }
            if let widest, widest.numbers > before { return widest.unit }
        }
        return widest?.unit ?? direct.first
    }

    /// The shown counts of facts tied to `cell` through other withheld counts, cheapest first.
    private func tiedCandidates(for cell: CellAddress, factsOf: [CellAddress: [Int]], attack: IntervalAttack,
                                excluding: Set<CellAddress>) -> [[CellAddress]] {
        var component: Set<CellAddress> = [cell]
        var frontier = [cell]
        var reached = Set<Int>()
        while let next = frontier.popLast() {
            for index in factsOf[next] ?? [] where reached.insert(index).inserted {
                for term in facts[index].terms where attack.withheld.contains(term.cell) && component.insert(term.cell).inserted {
                    frontier.append(term.cell)
                }
            }
        }
        return candidates(of: Array(reached), attack: attack).filter { $0.allSatisfy { !excluding.contains($0) } }
    }

    /// The units of shown positive counts in facts `indices`, fewest cells and smallest counts first.
    private func candidates(of indices: [Int], attack: IntervalAttack) -> [[CellAddress]] {
        var seen = Set<CellAddress>()
        var units: [[CellAddress]] = []
        for index in indices.sorted() {
            for term in facts[index].terms
            where !attack.withheld.contains(term.cell) && (values[term.cell] ?? 0) > 0 && !seen.contains(term.cell) && eligible(term.cell) {
                let cells = unit(term.cell)
                seen.formUnion(cells)
                units.append(cells)
            }
        }
        return units.sorted { ($0.count, values[$0[0]] ?? 0, $0[0].row, $0[0].column) < ($1.count, values[$1[0]] ?? 0, $1[0].row, $1[0].column) }
    }
}

/// The interval attack on a table as published: for every withheld small count, the range an
/// attacker can prove it lies in from everything the table shows.
public struct DisclosureAudit: Sendable {
    /// The facts the attack used.
    public let facts: Int
    /// The small counts withheld.
    public let primary: Set<CellAddress>
    /// Further counts withheld to protect them.
    public let secondary: Int
    /// The fewest whole numbers each range must span.
    public let span: Int
    /// Each small count's provable range (nil where the solver could not say, counted as exposed).
    public let ranges: [CellAddress: AttackRange?]

    /// Attacks `published` (its withheld counts as unknowns, at least 1) and reads off the range
    /// of each cell of `primary`.
    public init(_ published: DataTable, primary: Set<CellAddress>, secondary: Int, span: Int) {
        let counts = published.columns.indices.filter { published.columns[$0].role.isCount }
        var values: [CellAddress: Int] = [:]
        var withheld = Set<CellAddress>()
        for row in published.rows.indices {
            for column in counts {
                switch published.rows[row].cells[column] {
                case .count(let n): values[CellAddress(row, column)] = n
                case .suppressed: withheld.insert(CellAddress(row, column))
                default: break
                }
            }
        }
        let facts = LinearFact.facts(of: published)
        let attack = IntervalAttack(facts: facts, values: values, withheld: withheld)
        self.facts = facts.count
        self.primary = primary
        self.secondary = secondary
        self.span = span
        ranges = Dictionary(uniqueKeysWithValues: primary.map { ($0, attack.range(of: $0)) })
    }

    /// Small counts an attacker can narrow to fewer than `span` whole numbers.
    public var exposed: [CellAddress] {
        ranges.filter { !($0.value?.spans(atLeast: span) ?? false) }.keys.sorted(by: IntervalAttack.order)
    }

    /// The fewest whole numbers any small count's range spans, nil when none is withheld or all are unbounded.
    public var narrowest: Int? { ranges.values.compactMap { $0?.wholeNumbers }.min() }

    /// One line for metadata.
    public var summary: String {
        let result = exposed.isEmpty
            ? "no withheld small count can be narrowed to fewer than \(span) whole numbers"
                + (narrowest.map { " (narrowest range: \($0) whole numbers)" } ?? "")
            : "\(exposed.count) withheld small counts CAN be narrowed to fewer than \(span) whole numbers"
        return "interval attack (\(IntervalAttack.solver), linear programmes over \(facts) published relations): "
            + "\(primary.count) small counts and \(secondary) further counts withheld; \(result)"
    }
}
