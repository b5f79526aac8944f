@testable import AttritionCore
import Foundation
import Testing

/// A case file and its event file, read through a mapping's `[events]` (mapping-and-events contract, section 2).
@Suite struct EventLogTests {
    static let mapping = """
    [columns]
    case_id = "URN"
    reported_date = "Recorded"
    crime_type = "Offence"
    borough = "Borough"
    charged_date = "Charged On"

    [events]
    file    = "events.csv"
    case_id = "URN"
    event   = "Event Type"
    date    = "Event Date"

    [events.map]
    "Reported"              = "reported"
    "Referred to CPS"       = "referred"
    "Charged"               = "charged"
    "Summonsed"             = "charged"
    "First Hearing"         = "prosecuted"
    "Guilty Plea"           = "convicted"
    "Acquitted"             = "court:acquitted"
    "Discontinued"          = "court:discontinued"
    "Other Result"          = "court:other"
    "Convicted After Trial" = "court:convicted"
    "NFA Outcome 16"        = "outcome:16"
    "NFA Outcome 14"        = "outcome:14"
    "Charge Outcome"        = "outcome:1"

    """

    static let cases = """
    URN,Recorded,Offence,Borough,Charged On
    A,2023-01-10,Rape,Camden,
    B,2023-01-11,Rape,Camden,2023-03-05
    C,2023-01-12,Stalking,Hackney,
    D,2023-01-13,Stalking,Hackney,
    E,2023-01-14,Rape,Lambeth,
    F,2023-01-15,Rape,Lambeth,

    """

    /// Events in no particular order: every meaning, ties, a case-file date against event dates,
    /// an unknown case, an unmapped type, and rows that cannot be read.
    static let events = """
    URN,Event Type,Event Date
    A,Guilty Plea,2023-09-01
    A,Charged,2023-04-01
    A,Referred to CPS,2023-03-01
    A,First Hearing,2023-05-01
    A,Referred to CPS,2023-02-20
    B,Summonsed,2023-03-20
    B,Acquitted,2023-08-01
    B,First Hearing,2023-04-02
    C,NFA Outcome 14,2023-02-01
    C,NFA Outcome 16,2023-03-01
    C,NFA Outcome 14,2023-03-01
    D,Charge Outcome,2023-02-02
    D,Discontinued,2023-06-06
    D,Other Result,2023-06-06
    E,Reported,2023-01-02
    E,Convicted After Trial,2023-10-10
    Z,Charged,2023-03-03
    F,Sentenced,2023-03-03
    F,Sentenced,2023-03-04
    ,Charged,2023-03-03
    F,Charged,31/02/2023

    """

    private func load() throws -> (ImportResult, TemporaryFolder) {
        let folder = TemporaryFolder()
        try EventLogTests.mapping.write(toFile: folder.file("map.toml"), atomically: true, encoding: .utf8)
        try EventLogTests.cases.write(toFile: folder.file("cases.csv"), atomically: true, encoding: .utf8)
        try EventLogTests.events.write(toFile: folder.file("events.csv"), atomically: true, encoding: .utf8)
        let result = try CaseSource.detect(path: folder.file("cases.csv")).load(mapping: try Mapping.load(path: folder.file("map.toml")))
        return (result, folder)
    }

    private func row(_ table: CaseTable, _ id: String) -> Int { (0..<table.rowCount).first { table.caseId(ofRow: $0) == id }! }

    @Test func stagesAreDatedByTheirEarliestEventAndTheContractDecidesTheRest() throws {
        let (result, folder) = try load()
        defer { withExtendedLifetime(folder) {} }
        let table = result.table
        func check(_ id: String, _ stage: Stage, _ outcome: CaseOutcome, _ dates: [Stage: String], closed: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) {
            let r = row(table, id)
            #expect(table.furthestStages[r] == UInt8(stage.rawValue), "\(id) stage", sourceLocation: sourceLocation)
            #expect(table.outcome(ofRow: r) == outcome, "\(id) outcome", sourceLocation: sourceLocation)
            for (stage, iso) in dates { #expect(table.date(ofRow: r, at: stage)?.iso == iso, "\(id) \(stage)", sourceLocation: sourceLocation) }
            #expect(table.outcomeDate(ofRow: r)?.iso == closed, "\(id) outcome_date", sourceLocation: sourceLocation)
        }
        // Unsorted events; two referrals: the earlier date wins.
        check("A", .convicted, .convicted, [.referred: "2023-02-20", .charged: "2023-04-01", .prosecuted: "2023-05-01", .convicted: "2023-09-01"])
        // The case file's charge date (2023-03-05) is earlier than the event's (2023-03-20): the earliest wins.
        check("B", .prosecuted, .court(.acquitted), [.charged: "2023-03-05", .prosecuted: "2023-04-02"], closed: "2023-08-01")
        // Two outcome events on the same day: the later row wins (14, not 16).
        check("C", .reported, .police(PoliceOutcome(code: 14)!), [:], closed: "2023-03-01")
        // Outcome 1 charges; two court events on one day: the later row (other) wins.
        check("D", .charged, .court(.other), [:], closed: "2023-06-06")
        // A court conviction implies prosecution; a reported event earlier than the file's date moves the report.
        check("E", .convicted, .convicted, [.reported: "2023-01-02"], closed: "2023-10-10")
        check("F", .reported, .open, [:])
    }

    @Test func everyEventRowIsAccountedFor() throws {
        let (result, folder) = try load()
        defer { withExtendedLifetime(folder) {} }
        let events = try #require(result.report.events)
        #expect(events.rows == 21)
        #expect(events.unknownCases == 1 && events.unknownCaseLines == [18])
        #expect(events.unmappedTypes.map(\.type) == ["Sentenced"] && events.unmappedTypes.map(\.rows) == [2])
        #expect(events.rejected == 2)
        #expect(events.rows == events.applied + events.unknownCases + events.unmappedTypes.reduce(0) { $0 + $1.rows } + events.rejected)
        #expect(result.report.rows == 6 && result.report.accepted == 6 && result.report.rejected == 0)
        #expect(result.report.rejections.map(\.line) == [21, 22])
        #expect(result.report.rejections.allSatisfy { $0.file?.hasSuffix("events.csv") == true })
        #expect(result.report.warnings.map(\.line) == [19, 20], "a warning for each row of an unmapped type")
        #expect(result.report.unavailableStages.isEmpty, "events record every stage")
    }

    @Test func eventsWithoutAMappingAreRefused() throws {
        let folder = TemporaryFolder()
        try EventLogTests.events.write(toFile: folder.file("events.csv"), atomically: true, encoding: .utf8)
        try "case_id,reported_date,crime_type,borough\nA,2023-01-01,Rape,Camden\n".write(toFile: folder.file("c.csv"), atomically: true, encoding: .utf8)
        #expect(throws: MappingError.self) { try CaseSource.detect(path: folder.file("c.csv")).load(events: folder.file("events.csv")) }
    }
}

/// One event log carrying the cases' attributes, with no case file.
@Suite struct SingleEventLogTests {
    static let mapping = """
    [columns]
    crime_type = "Offence"
    borough    = "Borough"
    victim_sex = "Sex"

    [values.victim_sex]
    "F" = "Female"
    "M" = "Male"

    [dates]
    formats = ["%d-%b-%Y"]

    [events]
    case_id = "URN"
    event   = "Event"
    date    = "When"

    [events.map]
    "Crime Recorded" = "reported"
    "Charged"        = "charged"
    "Guilty"         = "convicted"
    "NFA 16"         = "outcome:16"

    [drop]
    columns = ["Victim Name"]

    """

    /// Unsorted; A's earliest row is its second; B's attributes change on a later row; C has no
    /// `Crime Recorded` event, so it is reported on its earliest event.
    static let log = """
    URN,Event,When,Offence,Borough,Sex,Victim Name
    A,Charged,01-Mar-2023,Rape,Camden,F,Jane
    A,Crime Recorded,10-Jan-2023,Rape,Camden,F,Jane
    B,Crime Recorded,11-Jan-2023,Stalking,Hackney,M,Bob
    B,NFA 16,2023-04-01,Stalking,Lambeth,M,Bob
    A,Guilty,2023-08-01,Rape,Camden,F,Jane
    C,Charged,2023-05-05,Rape,Lambeth,F,Cat
    C,NFA 16,2023-02-02,Rape,Lambeth,F,Cat

    """

    @Test func casesComeFromTheirEarliestRowsAndJourneysFromEveryRow() throws {
        let folder = TemporaryFolder()
        try SingleEventLogTests.mapping.write(toFile: folder.file("map.toml"), atomically: true, encoding: .utf8)
        try SingleEventLogTests.log.write(toFile: folder.file("log.csv"), atomically: true, encoding: .utf8)
        let result = try CaseSource.detect(path: folder.file("log.csv")).load(mapping: try Mapping.load(path: folder.file("map.toml")))
        let table = result.table
        #expect(table.rowCount == 3)
        func row(_ id: String) -> Int { (0..<table.rowCount).first { table.caseId(ofRow: $0) == id }! }
        func label(_ dimension: String, _ id: String) -> String {
            let column = table.dimension(named: dimension)!
            return column.labels[Int(column.codes[row(id)])]
        }
        #expect(table.date(ofRow: row("A"), at: .reported)?.iso == "2023-01-10")
        #expect(table.date(ofRow: row("A"), at: .charged)?.iso == "2023-03-01")
        #expect(table.furthestStages[row("A")] == UInt8(Stage.convicted.rawValue))
        #expect(label("borough", "B") == "Hackney", "the earliest row's attributes are kept")
        #expect(table.outcome(ofRow: row("B")) == .police(PoliceOutcome(code: 16)!))
        #expect(table.date(ofRow: row("C"), at: .reported)?.iso == "2023-02-02", "no reported event: the earliest event")
        #expect(table.furthestStages[row("C")] == UInt8(Stage.charged.rawValue))
        #expect(label("victim_sex", "A") == "Female")
        #expect(table.dimensions.map(\.name).allSatisfy { !["URN", "Event", "When", "Victim Name"].contains($0) })
        #expect(result.report.warnings.map { [$0.line, $0.field == "attributes" ? 1 : 0] } == [[5, 1]])
        #expect(result.report.events?.rows == 7 && result.report.events?.applied == 7)
        #expect(result.report.rows == 3 && result.report.accepted == 3)
    }
}

@Suite struct EventSampleTests {
    /// The sample as a records-system export — case file, event file, mapping — gives exactly the
    /// funnels of the case-journey sample it was made from.
    @Test func theEventSampleAndTheCaseFileSampleGiveTheSameFunnels() throws {
        let folder = TemporaryFolder()
        var spec = SampleSpec.shipped
        spec.cases = 5_000
        try EventSample.write(spec, toFolder: folder.file("export"))
        let source = try CaseSource.detect(path: folder.file("export/cases.csv"))
        let fromEvents = try source.load(mapping: try Mapping.load(path: try #require(source.defaultMapping)))
        let fromCases = try CaseImporter(fileName: "sample").importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(spec))))
        #expect(fromEvents.report.warningCount == 0 && fromEvents.report.rejectedTotal == 0)
        #expect((fromEvents.report.events?.rows ?? 0) > 4 * 5_000)
        for dimension in ["crime_type", "bcu", "victim_age_band", "reported_quarter"] {
            let query = AnalysisQuery(view: .breakdown, dimension: dimension)
            #expect(DataTableFormat.csv.render(try query.table(of: fromEvents.table)) == DataTableFormat.csv.render(try query.table(of: fromCases.table)),
                    "by \(dimension)")
        }
        #expect(throws: OutputError.self) { try EventSample.write(spec, toFolder: folder.file("export")) }
    }
}

@Suite struct ParallelEventReadingTests {
    /// Cut into many small ranges read side by side, an event file gives exactly what it gives
    /// read whole: the same journeys, problems on the same lines, the same account.
    @Test func manySmallRangesGiveTheSameResultAsOne() throws {
        let folder = TemporaryFolder()
        try EventLogTests.mapping.write(toFile: folder.file("map.toml"), atomically: true, encoding: .utf8)
        try EventLogTests.cases.write(toFile: folder.file("cases.csv"), atomically: true, encoding: .utf8)
        // A quoted event type holding a line break and a comma: no cut may fall inside it.
        let events = EventLogTests.events + "A,\"Charged\nagain, later\",2023-03-03\nB,Summonsed,2023-03-01\n"
        try events.write(toFile: folder.file("events.csv"), atomically: true, encoding: .utf8)
        func load(pieceBytes: Int64) throws -> ImportResult {
            var importer = CaseImporter(fileName: folder.file("cases.csv"))
            importer.mapping = try Mapping.load(path: folder.file("map.toml"))
            importer.eventPieceBytes = pieceBytes
            return try importer.importFile(atPath: folder.file("cases.csv"))
        }
        let whole = try load(pieceBytes: 1 << 30)
        for size in [1, 17, 64] as [Int64] {
            let pieces = try load(pieceBytes: size)
            #expect(pieces.table.outcomes == whole.table.outcomes && pieces.table.furthestStages == whole.table.furthestStages)
            for row in 0..<whole.table.rowCount {
                for stage in Stage.allCases { #expect(pieces.table.date(ofRow: row, at: stage) == whole.table.date(ofRow: row, at: stage)) }
                #expect(pieces.table.outcomeDate(ofRow: row) == whole.table.outcomeDate(ofRow: row))
            }
            #expect(pieces.report.rejections == whole.report.rejections && pieces.report.warnings == whole.report.warnings)
            #expect(pieces.report.events?.rows == whole.report.events?.rows && pieces.report.events?.applied == whole.report.events?.applied)
            #expect(pieces.report.events?.unknownCaseLines == whole.report.events?.unknownCaseLines)
        }
        #expect(whole.report.events?.unmappedTypes.contains { $0.type.contains("again") } == true, "the quoted type is one field")
        #expect(whole.report.events?.rows == 23)
    }

    @Test func recordRangesCutOnlyAtLineEndsOutsideQuotes() throws {
        let folder = TemporaryFolder()
        let text = "h\na\n\"b\nc\"\nd\n\"e\"\"\nf\"\ng\n"
        try text.write(toFile: folder.file("x.csv"), atomically: true, encoding: .utf8)
        let ranges = try RecordRanges(path: folder.file("x.csv"), start: 2, startLine: 2, pieceBytes: 1)
        let bytes = Array(text.utf8)
        let pieces = ranges.ranges.map { String(decoding: bytes[Int($0.lowerBound)..<Int($0.upperBound)], as: UTF8.self) }
        #expect(pieces == ["a\n", "\"b\nc\"\n", "d\n", "\"e\"\"\nf\"\n", "g\n"])
        #expect(ranges.firstLines == [2, 3, 5, 6, 8])
    }
}

/// An event file gives the same cases whatever order its rows stand in: grouped by case in the
/// case file's order (each case found next to the last), grouped in another order (each case's
/// first event looked for later, the rest of its run following it), or in no order at all; and
/// whatever the ranges it is cut into.
@Suite struct EventOrderTests {
    /// Event types: every meaning, a type without one, and one of a case not in the case file.
    private static let types = ["Reported", "Referred to CPS", "Charged", "First Hearing", "Guilty Plea", "Acquitted",
                                "Convicted After Trial", "NFA Outcome 16", "Charge Outcome", "Unlisted Type"]

    @Test func orderOfEventsAndRangesChangesNoCase() throws {
        var random = SplitMix(seed: 20_261_124)
        for trial in 0..<12 {
            let caseCount = 1 + Int(random.next() % 40)
            // References of different lengths, so that the table keeps offsets.
            let ids = (0..<caseCount).map { "K\($0 * 7919 % 1000)-\(String(repeating: "x", count: Int(random.next() % 3)))" }
            var cases = "URN,Recorded,Offence,Borough,Charged On\n"
            for id in ids { cases += "\(id),2023-01-0\(1 + random.next() % 9),Rape,Camden,\n" }
            // Each case's events; its outcome and court events each on a day of their own, so that
            // no tie is left to the order of lines.
            var groups: [[String]] = []
            for id in ids + ["NOT-A-CASE"] {
                var freeDays = Array(1...28).shuffled(using: &random)
                groups.append((0..<Int(random.next() % 6)).map { _ in
                    let type = EventOrderTests.types[Int(random.next() % UInt64(EventOrderTests.types.count))]
                    let month = 2 + random.next() % 7, day = freeDays.removeLast()
                    return "\(id),\(type),2023-0\(month)-" + (day < 10 ? "0\(day)" : "\(day)")
                })
            }
            groups.append(["BAD,Charged,not a date"])
            let orders = [groups.flatMap { $0 }, groups.shuffled(using: &random).flatMap { $0 }, groups.flatMap { $0 }.shuffled(using: &random)]
            let results = try orders.flatMap { rows in
                try [1, 23, 1 << 20].map { pieceBytes in
                    try EventOrderTests.load(cases: cases, events: "URN,Event Type,Event Date\n" + rows.joined(separator: "\n") + "\n", pieceBytes: pieceBytes)
                }
            }
            let first = results[0]
            for (index, result) in results.enumerated() {
                let table = result.table
                #expect(table.outcomes == first.table.outcomes && table.furthestStages == first.table.furthestStages, "trial \(trial), reading \(index)")
                for row in 0..<table.rowCount {
                    for stage in Stage.allCases { #expect(table.date(ofRow: row, at: stage) == first.table.date(ofRow: row, at: stage)) }
                    #expect(table.outcomeDate(ofRow: row) == first.table.outcomeDate(ofRow: row))
                }
                let account = try #require(result.report.events), firstAccount = try #require(first.report.events)
                let counts: [Int] = [account.rows, account.applied, account.rejected, account.unknownCases]
                let firstCounts: [Int] = [firstAccount.rows, firstAccount.applied, firstAccount.rejected, firstAccount.unknownCases]
                #expect(counts == firstCounts)
                let unmapped: [Int] = account.unmappedTypes.map { $0.rows }, firstUnmapped: [Int] = firstAccount.unmappedTypes.map { $0.rows }
                #expect(unmapped == firstUnmapped)
            }
            // Counted independently: every row of a case read, but of the type without a meaning.
            let applied = groups.dropLast(2).flatMap { $0 }.filter { !$0.contains("Unlisted Type") }.count
            #expect(first.report.events?.applied == applied)
            #expect(first.report.events?.unknownCases == groups[groups.count - 2].count)
        }
    }

    private static func load(cases: String, events: String, pieceBytes: Int64) throws -> ImportResult {
        let folder = TemporaryFolder()
        try EventLogTests.mapping.write(toFile: folder.file("map.toml"), atomically: true, encoding: .utf8)
        try cases.write(toFile: folder.file("cases.csv"), atomically: true, encoding: .utf8)
        try events.write(toFile: folder.file("events.csv"), atomically: true, encoding: .utf8)
        var importer = CaseImporter(fileName: folder.file("cases.csv"))
        importer.mapping = try Mapping.load(path: folder.file("map.toml"))
        importer.eventPieceBytes = pieceBytes
        return try importer.importFile(atPath: folder.file("cases.csv"))
    }
}
