@testable import AttritionCore
import PropertyBased
import Testing

/// The narrow columns the case table is held in: every value comes back as it went in, whatever
/// width the column settles at, and copies never share changes.
@Suite struct ColumnTests {
    /// Values of mixed sizes, so columns start narrow and widen part way through.
    private static let values = Gen.oneOf(Gen.int(in: 0...3), Gen.int(in: 0...300), Gen.int(in: 0...70_000), Gen.int(in: 0...Int(UInt32.max)))
        .map { UInt32($0) }.array(of: 0...300)

    @Test func packedColumnKeepsEveryValueAtTheNarrowestWidth() async {
        await propertyCheck(count: 200, input: ColumnTests.values) { values in
            let column = PackedColumn(values)
            #expect(column.values == values)
            let largest = values.max() ?? 0
            let expectedWidth = Set(values).count <= 1 ? 0 : largest <= 255 ? 1 : largest <= 65_535 ? 2 : 4
            #expect(column.width == expectedWidth)
            // Decoding a block at a time gives the same values as row by row.
            var decoded = [UInt32](repeating: 0, count: values.count)
            decoded.withUnsafeMutableBufferPointer { if !values.isEmpty { column.decode(0..<values.count, into: $0.baseAddress!) } }
            #expect(decoded == values)
        }
    }

    @Test func setAndRemapWidenWhenNeededAndCopiesStayApart() {
        var column = PackedColumn([7, 7, 7])
        #expect(column.width == 0)
        let copy = column
        column.set(1, to: 300)
        #expect(column.values == [7, 300, 7] && column.width == 2)
        #expect(copy.values == [7, 7, 7] && copy.width == 0)
        column.append(70_000)
        #expect(column.values == [7, 300, 7, 70_000] && column.width == 4)
        let small = PackedColumn([0, 1, 2, 1])
        #expect(small.remapped([2, 0, 1]).values == [2, 0, 1, 0])
        var shared = small
        shared.append(1)
        #expect(small.values == [0, 1, 2, 1] && shared.values == [0, 1, 2, 1, 1])
    }

    @Test func dayColumnHoldsEveryDayNumberAndNoDate() async {
        let special: [Int32] = [CaseTable.noDate, -25_568, -25_567, 0, 39_967, 39_968, Int32.max, Int32.min + 1, -1_000_000]
        let column = DayColumn(special)
        #expect(column.days == special)
        await propertyCheck(count: 200, input: Gen.int(in: Int(Int32.min)...Int(Int32.max)).array(of: 0...50)) { days in
            let values = days.map { Int32($0) }
            #expect(DayColumn(values).days == values)
        }
        // Dates of this century take two bytes a row.
        #expect(DayColumn([DayNumber(year: 2024, month: 5, day: 1)!.days, CaseTable.noDate, 0]).packed.width == 2)
    }

    @Test func caseReferencesWithOneLengthNeedNoOffsets() {
        var fixed = InternTable()
        for id in ["C001", "C002", "C003"] { _ = Array(id.utf8).withUnsafeBytes { fixed.insert($0) } }
        let same = CaseReferences(taking: &fixed)
        #expect(same.fixedLength == 4 && same.offsets.isEmpty && String(decoding: same.key(2), as: UTF8.self) == "C003")
        var varied = InternTable()
        for id in ["A", "BBB", "", "CC"] { _ = Array(id.utf8).withUnsafeBytes { varied.insert($0) } }
        let mixed = CaseReferences(taking: &varied)
        #expect(mixed.fixedLength == nil && (0..<4).map { String(decoding: mixed.key($0), as: UTF8.self) } == ["A", "BBB", "", "CC"])
        #expect(fixed.count == 0)
    }

    /// A spelling table gives each spelling the id a dictionary would, whatever its length (the
    /// cache holds up to 24 bytes) and however many spellings share a cache entry: spellings that
    /// differ in one byte anywhere, or only in length, or in their high bits.
    @Test func spellingTableFindsWhatADictionaryFinds() async {
        let byte = Gen.element(of: [0x00, 0x41, 0x42, 0x20, 0xC3, 0xA9, 0xFF] as [UInt8]).compactMap { $0 }
        await propertyCheck(count: 40, input: byte.array(of: 0...30).array(of: 1...100)) { (drawn: [[UInt8]]) in
            var table = SpellingTable(), reference: [[UInt8]: Int] = [:]
            // Each key met again, and beside it one a byte longer, one a byte shorter, and each
            // one differing from it in one byte.
            func oneByteOff(_ key: [UInt8]) -> [[UInt8]] { key.indices.map { var other = key; other[$0] ^= 0x01; return other } }
            let keys = drawn.flatMap { [$0, $0 + [0x41], Array($0.dropLast())] + oneByteOff($0) + [$0] } + drawn.reversed()
            for key in keys {
                key.withUnsafeBytes { bytes in
                    let found = table.find(bytes)
                    #expect(found == reference[key], "\(key)")
                    if found == nil {
                        reference[key] = table.insert(bytes)
                        #expect(reference[key] == reference.count - 1)
                    }
                }
            }
            // Every one again, after the others have taken over cache entries.
            for (key, id) in reference { #expect(key.withUnsafeBytes { table.find($0) } == id) }
            #expect(table.count == reference.count)
        }
    }
}

/// A large table's tally is split across cores: it must equal a count made row by row here.
@Suite struct ParallelTallyTests {
    @Test func aFunnelSplitAcrossCoresEqualsARowByRowCount() throws {
        // An odd row count, so blocks and parts end part-way through a turn of four rows.
        let table = try importBytes(SampleGenerator.bytes(SampleSpec(cases: RowScan.parallelFrom + 17_003, seed: 8))).table
        let bcu = try table.requireDimension("bcu"), crimes = try table.requireDimension("crime_type")
        for terms in [["crime_type=Rape", "crime_type=Stalking"], []] {
            let funnel = try FunnelAnalysis.funnel(of: table, by: bcu, filter: try CaseFilter.parse(terms, in: table))
            let kept = Set(terms.map { String($0.dropFirst("crime_type=".count)) })
            // Every cell: cases of the group whose journey stopped at this stage with this outcome.
            var expected = [String: [[Int]]]()
            for row in 0..<table.rowCount where kept.isEmpty || kept.contains(crimes.labels[Int(crimes.codes[row])]) {
                let group = bcu.labels[Int(bcu.codes[row])]
                var cells = expected[group] ?? Array(repeating: Array(repeating: 0, count: CaseOutcome.codeCount), count: Stage.allCases.count)
                cells[Int(table.furthestStages[row])][Int(table.outcomes[row])] += Int(table.weights[row])
                expected[group] = cells
            }
            #expect(funnel.groups.map(\.name).sorted() == expected.keys.sorted(), "\(terms)")
            for group in funnel.groups {
                #expect(group.counts.cells == expected[group.name], "\(group.name) \(terms)")
            }
        }
    }
}
