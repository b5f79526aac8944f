@testable import AttritionCore
import Foundation
import PropertyBased
import Testing

/// Properties that must hold for every input, checked on generated ones (x-sheep/swift-property-based,
/// which shrinks a failing input and prints the seed that reproduces it).
@Suite struct PropertyTests {
    /// Field text with the characters that make CSV hard: separators, quotes, line breaks, spaces, non-ASCII.
    private static let field = Gen.oneOf(Gen.letterOrNumber.string(of: 0...6), Gen.element(of: [",", "\"", "\n", "\r\n", " ", "é", "\"\"", "a,b", ""]).compactMap { $0 })
        .array(of: 1...4).map { $0.joined() }

    /// Any table written by a reference CSV writer (RFC 4180: quote a field holding a comma, quote
    /// or line break, double its quotes) reads back field for field, whatever the chunk size.
    @Test func csvReadsBackAcrossEveryChunkBoundary() async {
        await propertyCheck(count: 150, input: PropertyTests.field.array(of: 3...3).array(of: 1...6), Gen.int(in: 1...40)) { rows, chunk in
            let text = rows.map { row in row.map(PropertyTests.reference).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
            let read = try? scanAll(text, chunkSize: chunk)
            // A record of one empty field is a blank line, which CSV cannot tell from none.
            let expected = rows.filter { $0 != [""] }
            #expect(read?.map(\.fields) == expected, "chunk \(chunk): \(text.debugDescription)")
        }
    }

    /// The scanner's eight-bytes-a-turn search for a field's end finds the first comma or line
    /// feed that a byte-by-byte search finds, from every start, on bytes chosen to sit next to
    /// the ones sought (0x2B, 0x2D, 0x09, 0x0B) or to carry the high bit that the search masks.
    @Test func fieldEndSearchAgreesWithOneByteAtATime() async {
        let bytes = Gen.element(of: [0x2C, 0x0A, 0x2B, 0x2D, 0x09, 0x0B, 0x61, 0x80, 0xAC, 0x8A, 0xFF, 0x00] as [UInt8]).compactMap { $0 }
        await propertyCheck(count: 300, input: bytes.array(of: 0...40)) { (values: [UInt8]) in
            var buffer = values
            buffer.withUnsafeMutableBufferPointer { buffer in
                for start in 0...buffer.count {
                    let naive = buffer[start...].firstIndex { $0 == 0x2C || $0 == 0x0A } ?? buffer.count
                    let found = buffer.isEmpty ? 0 : CSVScanner.commaOrLineEnd(in: buffer.baseAddress!, from: start, to: buffer.count)
                    #expect(found == naive, "from \(start) in \(values)")
                }
            }
        }
    }

    /// The vector count of quotes and line ends that cuts a file for reading side by side agrees
    /// with a count byte by byte, across its blocks of 255 bytes.
    @Test func quoteAndLineEndCountAgreesWithOneByteAtATime() async {
        let bytes = Gen.element(of: [0x22, 0x0A, 0x0D, 0x2C, 0x61, 0xA2, 0x8A] as [UInt8]).compactMap { $0 }
        await propertyCheck(count: 100, input: bytes.array(of: 0...1_200)) { (values: [UInt8]) in
            let counted = values.withUnsafeBytes { ByteCount.quotesAndLineEnds($0) }
            #expect(counted.quotes == values.filter { $0 == 0x22 }.count && counted.lineEnds == values.filter { $0 == 0x0A }.count)
        }
    }

    /// The reference writer.
    private static func reference(_ field: String) -> String {
        // By bytes: "\r\n" is one Character, so a Character test would miss a lone "\n".
        field.utf8.contains(where: { Array(",\"\r\n".utf8).contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// Funnels never widen, and the groups of any dimension add up to the total, stage by stage.
    @Test func funnelsNeverWidenAndGroupsAddUp() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 1...400), Gen.int(in: 0...Int(Int32.max)),
                            Gen.element(of: BuiltInDimension.allCases.map(\.rawValue)).compactMap { $0 }) { cases, seed, dimension in
            guard let table = try? importBytes(SampleGenerator.bytes(SampleSpec(cases: cases, seed: UInt64(seed)))).table,
                  let funnel = try? FunnelAnalysis.funnel(of: table, by: table.requireDimension(dimension)) else {
                Issue.record("sample of \(cases) cases did not import")
                return
            }
            for group in funnel.groups + [funnel.total] {
                let reached = Stage.allCases.map { group.counts.reached($0) }
                #expect(zip(reached, reached.dropFirst()).allSatisfy { $0 >= $1 }, "\(group.name): \(reached)")
            }
            for stage in Stage.allCases {
                #expect(funnel.groups.map { $0.counts.reached(stage) }.reduce(0, +) == funnel.total.counts.reached(stage))
                #expect(funnel.groups.map { $0.counts.open(at: stage) }.reduce(0, +) == funnel.total.counts.open(at: stage))
            }
            #expect(funnel.total.counts.reached(.reported) == cases)
        }
    }

    /// Shuffling a file's rows changes no figure.
    @Test func anyRowShuffleGivesTheSameFigures() async {
        await propertyCheck(count: 25, input: Gen.int(in: 2...300), Gen.int(in: 0...Int(Int32.max))) { cases, seed in
            let text = String(decoding: SampleGenerator.bytes(SampleSpec(cases: cases, seed: 7)), as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = lines.removeFirst()
            var random = SampleRandom(seed: UInt64(seed))
            let order = lines.filter { !$0.isEmpty }.map { (random.next(), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
            let shuffled = ([header] + order).joined(separator: "\n") + "\n"
            let summary = { (text: String) -> String? in
                guard let table = try? importBytes(Array(text.utf8)).table else { return nil }
                return (try? FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"))).map { DataTableFormat.csv.render(AnalysisTables.funnel($0, filter: CaseFilter())) }
            }
            #expect(summary(text) != nil && summary(text) == summary(shuffled))
        }
    }

    /// Audited suppression leaves no withheld small count that an attacker with the table's
    /// arithmetic (written down in the tests, apart from the code's) can narrow below three whole
    /// numbers, in any view of any generated data.
    @Test func theAuditNeverFindsARecoverableSmallCount() async {
        let views: [AnalysisView] = [.breakdown, .reasons, .timing, .survival, .scorecard, .compare, .heatmap]
        await propertyCheck(count: 30, input: Gen.int(in: 20...600), Gen.int(in: 0...Int(Int32.max)), Gen.element(of: views).compactMap { $0 },
                            Gen.element(of: [RateBasis.all, .closed]).compactMap { $0 }) { cases, seed, view, basis in
            guard let table = try? importBytes(SampleGenerator.bytes(SampleSpec(cases: cases, seed: UInt64(seed)))).table,
                  let tidy = try? AnalysisQuery(view: view, dimension: "bcu", columns: "crime_type", basis: basis).table(of: table) else { return }
            let suppressed = Suppression().apply(to: tidy)
            #expect(suppressed.audit.exposed.isEmpty, "\(view): the code's own audit")
            let exposed = PublishedArithmetic.exposed(suppressed.table, original: tidy, equations: PublishedArithmetic.equations(of: tidy, basis: basis))
            #expect(exposed.isEmpty, "\(view) \(basis), \(cases) cases, seed \(seed): \(exposed.prefix(4))")
        }
    }

    /// Tables with margins, of any shape and any small counts, are protected.
    @Test func anyTableWithMarginsIsProtected() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...12).array(of: 2...4).array(of: 2...5)) { grid in
            let width = grid.map(\.count).min()!
            let cells = grid.map { Array($0.prefix(width)) }
            let names = (0..<width).map { ColumnKey.heading("c\($0)") }
            let columns = [TableColumn("group", .group)] + names.map { TableColumn($0, .count(parts: [])) } + [TableColumn("all", .count(parts: names))]
            let rows = cells.enumerated().map { index, row in TableRow([.text("g\(index)")] + row.map(DataCell.count) + [.count(row.reduce(0, +))]) }
            let totals = (0..<width).map { column in cells.map { $0[column] }.reduce(0, +) }
            let table = DataTable(title: "t", notes: [], columns: columns,
                                  rows: rows + [TableRow([.text("Total")] + totals.map(DataCell.count) + [.count(totals.reduce(0, +))], isTotal: true)])
            let suppressed = Suppression().apply(to: table)
            // Written out here: each row's cells add to its total, each column's rows to the Total row.
            var equations: [PublishedArithmetic.Equation] = []
            for row in table.rows.indices {
                var equation = PublishedArithmetic.Equation()
                equation.add(CellAddress(row, width + 1), 1)
                for column in 1...width { equation.add(CellAddress(row, column), -1) }
                equations.append(equation)
            }
            for column in 1...(width + 1) {
                var equation = PublishedArithmetic.Equation()
                equation.add(CellAddress(table.rows.count - 1, column), 1)
                for row in cells.indices { equation.add(CellAddress(row, column), -1) }
                equations.append(equation)
            }
            #expect(PublishedArithmetic.exposed(suppressed.table, original: table, equations: equations).isEmpty, "\(cells)")
            #expect(suppressed.audit.exposed.isEmpty)
        }
    }
}
