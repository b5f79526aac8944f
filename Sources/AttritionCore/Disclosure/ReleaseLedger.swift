import Foundation

/// The cases one published count counts, as a value: the cases a filter keeps, of one group (and
/// one column group), at one stage, in one state. What the release ledger keeps of each count,
/// so a later table from the same source is audited together with it.
public struct CountedCases: Codable, Hashable, Sendable {
    /// Which cases at `stage` are counted.
    public enum Kind: String, Codable, Sendable {
        /// Every case that reached the stage.
        case reached
        /// Cases whose journey stops at the stage, still open.
        case open
        /// Cases whose journey stops at the stage, closed.
        case closed
        /// Cases that reached the stage, less those still open there (a step's denominator over closed cases).
        case reachedLessOpen
        /// Cases closed at the stage for `reason`.
        case closedFor
    }

    /// The labels each filtered dimension keeps.
    public var filter: [String: [String]]
    /// Only cases reported on or before this day (maturity), if set.
    public var reportedBy: Int32?
    /// The group: dimension and label; nil for all the cases the filter keeps.
    public var group: [String]?
    /// A second dimension's group (a cross-tab's column), if any.
    public var column: [String]?
    /// Which cases at the stage.
    public var kind: Kind
    /// The stage, by its position in the journey.
    public var stage: Int
    /// The reason group's name, for `closedFor`.
    public var reason: String?

    /// The cases in words: `closed at charged, bcu = Central North, crime_type = Harassment`.
    public var words: String {
        let stageName = Stage(rawValue: stage)?.name ?? "stage \(stage)"
        let what: String = switch kind {
        case .reached: "reached \(stageName)"
        case .open: "open at \(stageName)"
        case .closed: "closed at \(stageName)"
        case .reachedLessOpen: "reached \(stageName) and not open there"
        case .closedFor: "closed at \(stageName) for \(reason ?? "a reason")"
        }
        let groups = [group, column].compactMap { $0 }.filter { $0.count == 2 }.map { "\($0[0]) = \($0[1])" }
        let filters = filter.keys.sorted().map { "\($0) = \(filter[$0]!.joined(separator: " or "))" }
        return ([what] + groups + filters + (reportedBy.map { ["reported by \(DayNumber(days: $0).iso)"] } ?? [])).joined(separator: ", ")
    }

    /// What the count in `row`, `column` of `table` (a tidy table of `query`, on cases recording
    /// `stages`) counts; nil for a count that is not of cases by stage (days, survival, scorecard
    /// counts), which the ledger keeps but cannot link.
    static func of(_ table: DataTable, row: Int, column: Int, query: AnalysisQuery, stages: [Stage]) -> CountedCases? {
        let cells = table.rows[row].cells
        func text(_ key: ColumnKey) -> String? {
            guard let index = table.columnIndex[key], case .text(let value) = cells[index] else { return nil }
            return value
        }
        var group: [String]?
        if !table.rows[row].isTotal, let index = table.columns.firstIndex(where: { $0.role == .group }),
           case .group(let dimension?) = table.columns[index].key, case .text(let label) = cells[index] {
            group = [dimension, label]
        }
        let crossed = table.columns.first { if case .columnGroup = $0.key { true } else { false } }
        let columnGroup: [String]? = crossed.flatMap { found in
            guard case .columnGroup(let dimension) = found.key, let label = text(found.key) else { return nil }
            return [dimension, label]
        }
        // A one-step table's step: the stage asked for (or the first after report) and the one before it.
        let to = query.stage ?? stages.dropFirst().first ?? .referred
        let from = stages.last { $0 < to } ?? .reported
        let stopped = text(.field(.stage)).flatMap(Stage.init(name:))
        let counted: (Kind, Stage, String?)
        switch table.columns[column].key {
        case .reached(let stage): counted = (.reached, stage, nil)
        case .open(let stage): counted = (.open, stage, nil)
        case .closed(let stage): counted = (.closed, stage, nil)
        case .step(_, let stage, .numerator): counted = (.reached, stage, nil)
        case .step(let stage, _, .denominator): counted = (query.basis == .all ? .reached : .reachedLessOpen, stage, nil)
        case .field(.numerator) where [.compare, .heatmap, .trend].contains(query.view): counted = (.reached, to, nil)
        case .field(.denominator) where [.compare, .heatmap, .trend].contains(query.view):
            counted = (query.basis == .all ? .reached : .reachedLessOpen, from, nil)
        case .field(.count) where stopped != nil: counted = (.closedFor, stopped!, text(.field(.reason)))
        case .field(.closedAtStage) where stopped != nil: counted = (.closed, stopped!, nil)
        case .field(.openAtStage) where stopped != nil: counted = (.open, stopped!, nil)
        default: return nil
        }
        return CountedCases(filter: query.filter.allowed.mapValues { $0.sorted() }, reportedBy: query.filter.reportedBy?.days,
                            group: group, column: columnGroup, kind: counted.0, stage: counted.1.rawValue, reason: counted.2)
    }
}

/// One table published from a source: what each of its counts counts, and its value as published
/// (nil where withheld).
public struct ReleasedTable: Codable, Sendable {
    /// One count as published.
    public struct Cell: Codable, Hashable, Sendable {
        /// What it counts.
        public var counts: CountedCases
        /// Its value as published; nil when withheld.
        public var value: Int?
    }

    /// The source's SHA-256: tables of other data are not linked.
    public var sourceSHA256: String
    /// The source as named.
    public var source: String
    /// When it was published.
    public var created: String
    /// The table's title.
    public var title: String
    /// Its counts that count cases by stage.
    public var cells: [Cell]
    /// Its other counts (days, survival, scorecard), kept out of the linked audit.
    public var unlinked: Int
}

/// The release ledger: every table published from a source (by its SHA-256), kept in one file so
/// each new table is audited together with everything already released — a count withheld in
/// one table cannot be worked out by subtracting another (docs/exports.md, "Release ledger").
public struct ReleaseLedger: Sendable {
    /// The ledger file.
    public let path: String
    /// Every table recorded, oldest first.
    public private(set) var tables: [ReleasedTable]

    /// The ledger at `path`: empty when there is no file yet; an error when there is one that cannot be read.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            tables = []
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError.unreadable(file: path, reason: "the release ledger cannot be read")
        }
        do {
            tables = try JSONDecoder().decode(LedgerFile.self, from: data).tables
        } catch {
            throw ImportError.unreadable(file: path, reason: "it is not a release ledger attrition can read (\(error.localizedDescription))")
        }
    }

    /// The ledger used by default for data at `source`: `SOURCE.ledger.json` beside it; nil for
    /// data that has no place of its own (the built-in sample, a stream).
    public static func defaultPath(for source: String) -> String? {
        guard !source.hasSuffix("(built-in sample)"), !StreamCopy.isStream(source), !source.hasPrefix("/dev/") else { return nil }
        let url = URL(fileURLWithPath: source).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".ledger.json").path
    }

    /// The tables released from the source with this SHA-256.
    public func released(from sha256: String) -> [ReleasedTable] { tables.filter { $0.sourceSHA256 == sha256 } }

    /// Records `table` (unless the same table is recorded already) and writes the file atomically.
    public mutating func record(_ table: ReleasedTable) throws {
        guard !tables.contains(where: { $0.sourceSHA256 == table.sourceSHA256 && $0.cells == table.cells && $0.title == table.title }) else {
            return
        }
        tables.append(table)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let file = try AtomicFile(destination: path, overwrite: true)
        try file.write(String(decoding: try encoder.encode(LedgerFile(tables: tables)), as: UTF8.self) + "\n")
        try file.commit()
    }

    /// The file's layout.
    private struct LedgerFile: Codable {
        var format = 1
        var tables: [ReleasedTable]
    }
}

/// A ledger to audit a publication with, and the cases it is of.
public struct LedgerUse {
    /// The ledger file.
    public let path: String
    /// The cases the tables count.
    public let cases: CaseTable

    /// The ledger at `path`, for tables of `cases`.
    public init(path: String, cases: CaseTable) {
        self.path = path
        self.cases = cases
    }

    /// `published` (`tidy` suppressed on its own) with the further cells withheld that the tables
    /// released before from its source call for, recorded in the ledger; and a line for metadata.
    func publish(_ published: DataTable, of tidy: DataTable, query: AnalysisQuery, source: ImportReport, suppression: Suppression,
                 created: String) throws -> (DataTable, String) {
        var ledger = try ReleaseLedger(path: path)
        let released = ledger.released(from: source.sourceSHA256)
        let linked = LinkedAudit(tidy, query: query, stages: cases.availableStages)
        let further = try linked.furtherWithheld(published, released: released, cases: cases, threshold: suppression.threshold,
                                                 span: suppression.span)
        var result = published
        let dependents = DisclosureRelations(tidy).dependents
        for cell in further {
            result.rows[cell.row].cells[cell.column] = .suppressed
            for column in dependents[cell.column] ?? [] { result.rows[cell.row].cells[column] = .suppressed }
        }
        try ledger.record(linked.record(result, source: source, created: created))
        let note = "\(path): audited with the \(released.count) table\(released.count == 1 ? "" : "s") released before from this source; "
            + (further.isEmpty ? "nothing more withheld" : "\(further.count) more count\(further.count == 1 ? "" : "s") withheld so none of theirs or this one's can be worked out")
        return (result, note)
    }
}

/// A table about to be published, audited with the tables already released from its source.
struct LinkedAudit {
    /// What the new table's counts count (nil for those that are not linked), by cell.
    let counted: [CellAddress: CountedCases]

    /// The counts of `table` (a tidy table of `query`) that count cases by stage.
    init(_ table: DataTable, query: AnalysisQuery, stages: [Stage]) {
        var counted: [CellAddress: CountedCases] = [:]
        for row in table.rows.indices {
            // A stage the data does not record publishes nothing: only counts, shown or withheld, are linked.
            for column in table.columns.indices where table.columns[column].role.isCount {
                guard case .count = table.rows[row].cells[column] else { continue }
                if let cases = CountedCases.of(table, row: row, column: column, query: query, stages: stages) {
                    counted[CellAddress(row, column)] = cases
                }
            }
        }
        self.counted = counted
    }

    /// The cells of `published` (the new table, already suppressed on its own) to withhold besides,
    /// so no small count of it or of `released` can be narrowed to fewer than `span` whole numbers
    /// by the two read together; throws when none would do.
    func furtherWithheld(_ published: DataTable, released: [ReleasedTable], cases: CaseTable, threshold: Int, span: Int) throws -> Set<CellAddress> {
        let old = released.flatMap(\.cells)
        guard !old.isEmpty, !counted.isEmpty else { return [] }
        let fresh = counted.sorted { IntervalAttack.order($0.key, $1.key) }
        let all = old.map(\.counts) + fresh.map(\.value)
        let atoms = Atoms(all, in: cases)
        // Unknowns: one per group of cases no count tells apart (at least 0), one per count.
        func cell(_ index: Int) -> CellAddress { CellAddress(index, 0) }
        func atom(_ index: Int) -> CellAddress { CellAddress(index, 1) }
        var values: [CellAddress: Int] = [:]
        for (index, weight) in atoms.weights.enumerated() { values[atom(index)] = weight }
        var facts: [LinearFact] = []
        for index in all.indices {
            values[cell(index)] = atoms.members[index].reduce(0) { $0 + atoms.weights[$1] }
            facts.append(.sum(atoms.members[index].map(atom), equals: cell(index)))
        }
        var withheld = Set(atoms.weights.indices.map(atom))
        for (index, released) in old.enumerated() where released.value == nil { withheld.insert(cell(index)) }
        for (offset, entry) in fresh.enumerated() where published.rows[entry.key.row].cells[entry.key.column] == .suppressed {
            withheld.insert(cell(old.count + offset))
        }
        let attack = IntervalAttack(facts: facts, values: values, withheld: withheld, mayBeZero: Set(atoms.weights.indices.map(atom)))
        // Every small count withheld, and every small group of cases the tables tell apart (all
        // cases less a filtered table's: the group left out), must stay uncertain.
        let primary = withheld.filter { (1..<threshold).contains(values[$0] ?? 0) }.sorted(by: IntervalAttack.order)
        // A new count may be withheld, with every new count of the same cases; a released one is out of reach.
        let freshByCases = Dictionary(grouping: fresh.indices, by: { fresh[$0].value }).mapValues { $0.map { cell(old.count + $0) } }
        var choice = SecondaryChoice(facts: facts, values: values, unit: { address in
            address.row >= old.count ? freshByCases[all[address.row]] ?? [address] : [address]
        }, span: span)
        choice.eligible = { $0.column == 0 && $0.row >= old.count }
        _ = choice.choose(protecting: primary, with: attack)
        if let exposed = primary.first(where: { !attack.protects($0, span: span) }) {
            let which = exposed.column == 1 ? "a group of cases that one table counts and another leaves out"
                : exposed.row < old.count ? "a count published earlier" : "a count of this table"
            throw OutputError.disclosure("read with the \(released.count) table\(released.count == 1 ? "" : "s") released before from this source, "
                + "\(which)\(exposed.column == 0 ? " (\(all[exposed.row].words))" : "") could be narrowed to fewer than \(span) whole numbers whatever this table withholds; "
                + "publish a coarser table (fewer filters, a dimension with fewer groups), or a release of its own with --ledger ANOTHER.json")
        }
        return Set(fresh.enumerated().compactMap { offset, entry in
            attack.withheld.contains(cell(old.count + offset)) && published.rows[entry.key.row].cells[entry.key.column] != .suppressed ? entry.key : nil
        })
    }

    /// The table as recorded in the ledger.
    func record(_ published: DataTable, source: ImportReport, created: String) -> ReleasedTable {
        let cells = counted.sorted { IntervalAttack.order($0.key, $1.key) }.map { address, cases -> ReleasedTable.Cell in
            if case .count(let value) = published.rows[address.row].cells[address.column] { return .init(counts: cases, value: value) }
            return .init(counts: cases, value: nil)
        }
        let countCells = published.columns.filter(\.role.isCount).count * published.rows.count
        return ReleasedTable(sourceSHA256: source.sourceSHA256, source: source.file, created: created, title: published.title,
                             cells: cells, unlinked: countCells - cells.count)
    }
}

/// The cases split into the groups no published count tells apart: each group's weight, and
/// the groups each count adds up.
struct Atoms {
    /// Cases (weighted) in each group.
    private(set) var weights: [Int] = []
    /// For each count, the groups it adds up.
    private(set) var members: [[Int]]

    init(_ counts: [CountedCases], in table: CaseTable) {
        members = Array(repeating: [], count: counts.count)
        let words = (counts.count + 63) / 64
        var signatures = [UInt64](repeating: 0, count: table.rowCount * words)
        for (index, counted) in counts.enumerated() {
            guard let test = CountTest(counted, table: table) else { continue }
            for row in 0..<table.rowCount where test.counts(row) {
                signatures[row * words + index / 64] |= 1 << UInt64(index % 64)
            }
        }
        var groupOf: [ArraySlice<UInt64>: Int] = [:]
        for row in 0..<table.rowCount {
            let signature = signatures[(row * words)..<((row + 1) * words)]
            guard signature.contains(where: { $0 != 0 }) else { continue }
            let weight = Int(table.weights[row])
            if let group = groupOf[signature] {
                weights[group] += weight
                continue
            }
            let group = weights.count
            groupOf[signature] = group
            weights.append(weight)
            for (word, bits) in signature.enumerated() where bits != 0 {
                for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { members[word * 64 + bit].append(group) }
            }
        }
    }
}

/// Whether a case is among those a `CountedCases` counts, made ready to test rows quickly.
private struct CountTest {
    let filter: CompiledFilter
    let group: (codes: PackedColumn, code: UInt32)?
    let column: (codes: PackedColumn, code: UInt32)?
    let counted: CountedCases
    let table: CaseTable

    /// Nil when a dimension or label it names is not in `table` (it counts no case there).
    init?(_ counted: CountedCases, table: CaseTable) {
        func code(_ pair: [String]?) -> (codes: PackedColumn, code: UInt32)?? {
            guard let pair else { return .some(nil) }
            guard pair.count == 2, let dimension = table.dimension(named: pair[0]), let code = dimension.code(ofLabel: pair[1]) else { return nil }
            return .some((dimension.codes, UInt32(code)))
        }
        var filter = CaseFilter()
        for (dimension, labels) in counted.filter { for label in labels { filter = filter.adding(label, of: dimension) } }
        filter.reportedBy = counted.reportedBy.map(DayNumber.init(days:))
        guard let compiled = try? filter.compiled(for: table), let group = code(counted.group), let column = code(counted.column) else { return nil }
        self.filter = compiled
        self.group = group
        self.column = column
        self.counted = counted
        self.table = table
    }

    func counts(_ row: Int) -> Bool {
        guard filter.keeps(row) else { return false }
        if let group, group.codes[row] != group.code { return false }
        if let column, column.codes[row] != column.code { return false }
        let furthest = Int(table.furthestStages[row]), stage = counted.stage
        let open = table.outcome(ofRow: row) == .open
        switch counted.kind {
        case .reached: return furthest >= stage
        case .open: return furthest == stage && open
        case .closed: return furthest == stage && !open
        case .reachedLessOpen: return furthest > stage || furthest == stage && !open
        case .closedFor:
            return furthest == stage && !open && ReasonGroup(table.outcome(ofRow: row))?.name == counted.reason
        }
    }
}
