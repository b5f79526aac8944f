@testable import AttritionCore
import Foundation
import Testing

/// police.uk's files as the contract (police-uk.md) describes them, written by hand.
private enum Fixture {
    static let street = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    static let outcomes = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type"

    static func streetRow(_ id: String, _ month: String, force: String = "Metropolitan Police Service", lsoa: String = "Camden 028B",
                          type: String = "Violence and sexual offences", last: String) -> String {
        "\(id),\(month),\(force),\(force),-0.1,51.5,On or near Park Road,E01000001,\(lsoa),\(type),\(last),"
    }

    static func outcomeRow(_ id: String, _ month: String, force: String = "Metropolitan Police Service", _ category: String) -> String {
        "\(id),\(month),\(force),\(force),-0.1,51.5,On or near Park Road,E01000001,Camden 028B,\(category)"
    }

    /// The contract's table, copied by hand: category, stage, and open / closed / convicted.
    static let categories: [(String, Stage, String)] = [
        ("Under investigation", .reported, "open"), ("Status update unavailable", .reported, "open"),
        ("Investigation complete; no suspect identified", .reported, "closed"), ("Unable to prosecute suspect", .reported, "closed"),
        ("Formal action is not in the public interest", .reported, "closed"),
        ("Further investigation is not in the public interest", .reported, "closed"),
        ("Further action is not in the public interest", .reported, "closed"),
        ("Action to be taken by another organisation", .reported, "closed"), ("Offender given a caution", .reported, "closed"),
        ("Offender given a drugs possession warning", .reported, "closed"), ("Offender given penalty notice", .reported, "closed"),
        ("Local resolution", .reported, "closed"), ("Suspect charged", .charged, "open"),
        ("Suspect charged as part of another case", .charged, "open"), ("Awaiting court outcome", .charged, "open"),
        ("Court case unable to proceed", .charged, "closed"), ("Court result unavailable", .charged, "closed"),
        ("Defendant sent to Crown Court", .prosecuted, "open"), ("Defendant found not guilty", .prosecuted, "closed"),
        ("Offender sent to prison", .convicted, "convicted"), ("Offender given suspended prison sentence", .convicted, "convicted"),
        ("Offender given community sentence", .convicted, "convicted"), ("Offender fined", .convicted, "convicted"),
        ("Offender given conditional discharge", .convicted, "convicted"), ("Offender given absolute discharge", .convicted, "convicted"),
        ("Offender ordered to pay compensation", .convicted, "convicted"), ("Offender deprived of property", .convicted, "convicted"),
        ("Offender otherwise dealt with", .convicted, "convicted"),
    ]

    /// Two months of two forces: every situation the contract names.
    static let files: [(String, String)] = [
        ("2024-01/2024-01-metropolitan-street.csv", lines([
            street,
            streetRow("S1", "2024-01", last: "Under investigation"),          // duplicate: Kent's file, read first, has S1
            streetRow("", "2024-01", type: "Anti-social behaviour", last: ""), // ASB: skipped
            streetRow("S2", "2024-01", lsoa: "Hackney 001A", last: "Awaiting court outcome"),
            streetRow("S3", "2024-01", lsoa: "", last: ""),                    // no event: open, borough Unknown
            streetRow("S4", "2024-01", last: "Suspect charged"),
            streetRow("S5", "2024-01", last: "  unable TO prosecute   suspect "), // case and spaces ignored
        ])),
        ("2024-01/2024-01-metropolitan-outcomes.csv", lines([
            outcomes,
            outcomeRow("OLD1", "2024-01", "Offender fined"),                    // crime from before the first month
            outcomeRow("S2", "2024-01", "Offender fined"),                      // same month as the snapshot, convicted ends it
            outcomeRow("S5", "2024-01", "Under investigation"),                 // same month: the snapshot comes after it
        ])),
        ("2024-01/2024-01-kent-street.csv", lines([
            street,
            streetRow("K1", "2024-01", force: "Kent Police", lsoa: "Maidstone 004C", type: "Burglary", last: "Local resolution"),
            streetRow("S1", "2024-01", force: "Kent Police", lsoa: "Maidstone 004C", last: "Under investigation"), // superseded later
            streetRow("K2", "2024-01", force: "Kent Police", lsoa: "Maidstone 004C", last: "Something new"),    // unknown: warned
        ])),
        ("2024-02/2024-02-metropolitan-outcomes.csv", lines([
            outcomes,
            outcomeRow("S1", "2024-02", "Suspect charged"),
            outcomeRow("S4", "2024-03", "Investigation complete; no suspect identified"), // lower stage later: stays charged, open
            outcomeRow("S1", "2024-03", "Court result unavailable"),              // closes S1 at charged
            outcomeRow("S4", "2024-02", ""),                                      // blank: not an event
            outcomeRow("", "2024-02", "Offender fined"),                          // no Crime ID: rejected
        ])),
        ("2024-02/2024-02-metropolitan-stop-and-search.csv", "Type,Date,Part of a policing operation,Object of search\nPerson search,2024-02-01,False,Drugs\n"),
        ("README.txt", "not data\n"),
    ]

    static func lines(_ rows: [String]) -> String { rows.joined(separator: "\n") + "\n" }

    static func folder() -> TemporaryFolder {
        let folder = TemporaryFolder()
        for (name, text) in files {
            let path = folder.file(name)
            try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// The same files as an archive, deflated or stored.
    static func archive(in folder: TemporaryFolder, compress: Bool = true) -> String {
        var zip = ZipArchive()
        for (name, text) in files.reversed() { zip.add(name, Array(text.utf8), compress: compress) }
        let path = folder.file("download.zip")
        FileManager.default.createFile(atPath: path, contents: Data(zip.finished()))
        return path
    }
}

@Suite struct PoliceUKTests {
    private func load(_ path: String) throws -> ImportResult { try CaseSource.detect(path: path).load() }

    private func rowOf(_ table: CaseTable, _ id: String) -> Int? {
        (0..<table.rowCount).first { table.caseId(ofRow: $0) == id }
    }

    @Test func everyCategoryOfTheTableGivesItsStageAndState() throws {
        let folder = TemporaryFolder()
        let rows = Fixture.categories.enumerated().map { Fixture.streetRow("C\($0.offset)", "2024-05", last: $0.element.0) }
        try Fixture.lines([Fixture.street] + rows).write(toFile: folder.file("street.csv"), atomically: true, encoding: .utf8)
        #expect(try CaseSource.detect(path: folder.file("street.csv")) == .policeUKStreetFile(folder.file("street.csv")))
        let result = try load(folder.file("street.csv"))
        #expect(result.table.rowCount == Fixture.categories.count)
        for (index, (category, stage, state)) in Fixture.categories.enumerated() {
            let row = try #require(rowOf(result.table, "C\(index)"))
            #expect(result.table.furthestStages[row] == UInt8(stage.rawValue), "\(category)")
            let outcome = result.table.outcome(ofRow: row)
            switch state {
            case "open": #expect(outcome == .open, "\(category)")
            case "convicted": #expect(outcome == .convicted, "\(category)")
            default: #expect(outcome.isDropOff && outcome.name == category, "\(category)")
            }
            // Every stage from charged to the furthest is dated by the street month; none beyond it.
            for later in [Stage.charged, .prosecuted, .convicted] {
                let date = result.table.date(ofRow: row, at: later)
                #expect((date?.iso == "2024-05-01") == (later <= stage), "\(category) at \(later)")
            }
            #expect(result.table.date(ofRow: row, at: .referred) == nil)
        }
    }

    @Test func journeysFollowTheEventsAndTheSupersessionRule() throws {
        let folder = Fixture.folder()
        let table = try load(folder.path).table
        func check(_ id: String, _ stage: Stage, _ outcome: CaseOutcome, charged: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let row = try #require(rowOf(table, id), sourceLocation: sourceLocation)
            #expect(table.furthestStages[row] == UInt8(stage.rawValue), "\(id) stage", sourceLocation: sourceLocation)
            #expect(table.outcome(ofRow: row) == outcome, "\(id) outcome", sourceLocation: sourceLocation)
            #expect(table.date(ofRow: row, at: .charged)?.iso == charged, "\(id) charged date", sourceLocation: sourceLocation)
        }
        try check("S1", .charged, .policeUK(.courtResultUnavailable), charged: "2024-02-01")
        try check("S2", .convicted, .convicted, charged: "2024-01-01")
        try check("S3", .reported, .open)
        try check("S4", .charged, .open, charged: "2024-01-01")
        try check("S5", .reported, .policeUK(.unableToProsecute))
        try check("K1", .reported, .policeUK(.localResolution))
        try check("K2", .reported, .open)
        let s3 = try #require(rowOf(table, "S3"))
        #expect(table.dimension(named: "borough")!.labels[Int(table.dimension(named: "borough")!.codes[s3])] == "Unknown")
        #expect(table.datePrecision == .month)
        #expect(table.availableStages == [.reported, .charged, .prosecuted, .convicted])
    }

    @Test func everyRowAndFileIsAccountedFor() throws {
        let folder = Fixture.folder()
        let report = try load(folder.path).report
        // Street rows: 6 + 3 data rows; one ASB skipped, one duplicate rejected.
        #expect(report.rows == 9)
        #expect(report.accepted == 7)
        #expect(report.skipped == 1)
        #expect(report.rejected == 1)
        #expect(report.rows == report.accepted + report.skipped + report.rejected)
        let duplicate = try #require(report.rejections.first { $0.reason.contains("duplicate") })
        // Files are read in path order, so Kent's S1 comes first and the Met's is the duplicate.
        #expect(duplicate.file == "2024-01/2024-01-metropolitan-street.csv" && duplicate.line == 2)
        #expect(duplicate.reason.contains("first seen in 2024-01/2024-01-kent-street.csv, line 3"))
        let unknown = try #require(report.warnings.first)
        #expect(unknown.file == "2024-01/2024-01-kent-street.csv" && unknown.line == 4 && unknown.reason.contains("Something new"))
        let files = try #require(report.sourceFiles)
        #expect(files.eventRows == 8)
        #expect(files.eventsApplied == 5 && files.eventsOutside == 1 && files.eventsBlank == 1 && files.eventsRejected == 1)
        #expect(files.eventRows == files.eventsApplied + files.eventsOutside + files.eventsBlank + files.eventsUnknown + files.eventsRejected)
        #expect(report.rejections.contains { $0.file == "2024-02/2024-02-metropolitan-outcomes.csv" && $0.line == 6 })
        #expect(files.read.map(\.name) == ["2024-01/2024-01-kent-street.csv", "2024-01/2024-01-metropolitan-street.csv",
                                           "2024-01/2024-01-metropolitan-outcomes.csv", "2024-02/2024-02-metropolitan-outcomes.csv"])
        #expect(Set(files.passedOver.map(\.name)) == ["2024-02/2024-02-metropolitan-stop-and-search.csv", "README.txt"])
        #expect(report.unavailableStages == [.referred])
    }

    @Test func dimensionsComeFromTheFiles() throws {
        let folder = Fixture.folder()
        let table = try load(folder.path).table
        #expect(table.dimensions.map(\.name) == ["crime_type", "force", "borough", "bcu", "reported_year", "reported_quarter", "reported_month"])
        #expect(table.dimension(named: "force")!.labels == ["Kent Police", "Metropolitan Police Service"])
        #expect(table.dimension(named: "borough")!.labels == ["Camden", "Hackney", "Maidstone", "Unknown"])
        #expect(table.dimension(named: "bcu")!.labels == ["Central East", "Central North", "Unknown"])
        #expect(!table.hasVictimCharacteristics)
        #expect(throws: QueryError.self) { try table.requireDimension("victim_sex") }
    }

    @Test func archiveAndFolderGiveTheSameResult() throws {
        let folder = Fixture.folder()
        let fromFolder = try load(folder.path)
        for compress in [true, false] {
            let path = Fixture.archive(in: folder, compress: compress)
            #expect(try CaseSource.detect(path: path) == .policeUKArchive(path))
            let fromArchive = try load(path)
            let byForce = { (result: ImportResult) in
                DataTableFormat.csv.render(try AnalysisQuery(view: .breakdown, dimension: "force").table(of: result.table))
            }
            #expect(try byForce(fromArchive) == byForce(fromFolder))
            #expect(fromArchive.report.rejections == fromFolder.report.rejections)
            #expect(fromArchive.report.warnings == fromFolder.report.warnings)
            #expect(fromArchive.report.sourceSHA256 == fromFolder.report.sourceSHA256)
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func referredIsNotRecordedNeverZero() throws {
        let folder = Fixture.folder()
        let result = try load(folder.path)
        let funnel = try FunnelAnalysis.funnel(of: result.table, by: nil)
        #expect(funnel.total.steps.first.map { [$0.from, $0.to] } == [.reported, .charged])
        let json = SummaryFormat.json.render(funnel, filter: CaseFilter())
        #expect(json.contains(#""referred": null"#))
        #expect(!json.contains(#""referred": 0"#))
    }

    @Test func aDamagedArchiveIsAClearErrorNotACrash() throws {
        let folder = Fixture.folder()
        let good = try Data(contentsOf: URL(fileURLWithPath: Fixture.archive(in: folder)))
        func attempt(_ bytes: Data) -> ImportError? {
            let path = folder.file("damaged.zip")
            FileManager.default.createFile(atPath: path, contents: bytes)
            do {
                _ = try load(path)
                return nil
            } catch let error as ImportError {
                return error
            } catch {
                return nil
            }
        }
        // Cut short: no end record.
        #expect(attempt(good.prefix(good.count - 30))?.description.contains("cannot be read as a ZIP archive") == true)
        // A byte of compressed data changed: inflating fails or the CRC-32 does not match.
        var flipped = good
        let name = Data("2024-02/2024-02-metropolitan-outcomes.csv".utf8)
        let header = try #require(good.range(of: name))
        flipped[header.upperBound + 12] ^= 0x5A
        #expect(attempt(flipped) != nil)
        // Only a local header's signature: not an archive at all.
        #expect(attempt(Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 100))) != nil)
        // An end record claiming entries past the end of the file.
        var lying = good
        let end = lying.count - 22
        lying[end + 16] = 0xFF
        lying[end + 17] = 0xFF
        #expect(attempt(lying)?.description.contains("outside the file") == true)
    }

    @Test func anOutcomesFileAloneIsRefusedWithAReason() throws {
        let folder = TemporaryFolder()
        try Fixture.lines([Fixture.outcomes, Fixture.outcomeRow("A", "2024-01", "Offender fined")])
            .write(toFile: folder.file("o.csv"), atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try CaseSource.detect(path: folder.file("o.csv")) }
        let empty = TemporaryFolder()
        #expect(throws: ImportError.self) { try CaseSource.detect(path: empty.path).load() }
    }

    @Test func theSyntheticArchiveReadsTheSameFromFolderAndZip() throws {
        let folder = TemporaryFolder()
        let spec = PoliceUKSampleSpec(forces: 2, months: 4, rowsPerForceMonth: 300)
        try PoliceUKSampleOutput.write(spec, to: folder.file("data"), overwrite: false)
        try PoliceUKSampleOutput.write(spec, to: folder.file("data.zip"), overwrite: false)
        let a = try load(folder.file("data")), b = try load(folder.file("data.zip"))
        #expect(a.report.rows == 2 * 4 * 300)
        #expect(a.report.rejected == 0 && a.report.warningCount == 0)
        #expect(a.report.sourceFiles!.eventsOutside > 0)
        #expect(a.table.rowCount == b.table.rowCount && a.table.outcomes.values == b.table.outcomes.values && a.table.furthestStages.values == b.table.furthestStages.values)
        // Street snapshots lag behind: some cases' outcome differs from their own street row's category.
        #expect(a.report.sourceFiles!.eventsApplied > 0)
        // A folder is never replaced.
        #expect(throws: OutputError.self) { try PoliceUKSampleOutput.write(spec, to: folder.file("data"), overwrite: true) }
    }

    @Test func boroughsComeFromLSOANames() {
        #expect(PoliceUKReader.borough(fromLSOAName: "Camden 028B") == "Camden")
        #expect(PoliceUKReader.borough(fromLSOAName: "Kingston upon Thames 001A") == "Kingston upon Thames")
        #expect(PoliceUKReader.borough(fromLSOAName: "hammersmith & fulham 010C") == "Hammersmith and Fulham")
        #expect(PoliceUKReader.borough(fromLSOAName: "Maidstone") == "Maidstone")
    }
}

@Suite struct ShippedPoliceUKSampleTests {
    /// The archive in SampleData is what the generator makes (compared by content: zlib versions may deflate differently).
    @Test func theShippedArchiveIsWhatTheGeneratorMakes() throws {
        let shipped = try ZipReader(path: repositoryRoot.appendingPathComponent("SampleData/police-uk-sample.zip").path)
        var made: [String: [UInt8]] = [:]
        try PoliceUKSample.write(PoliceUKSampleSpec(forces: 2, months: 6, rowsPerForceMonth: 300)) { made[$0] = $1 }
        #expect(Set(shipped.entries.map(\.name)) == Set(made.keys))
        for entry in shipped.entries {
            let source = try shipped.source(for: entry)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while case let n = try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }), n > 0 { bytes += buffer[..<n] }
            #expect(bytes == made[entry.name], "\(entry.name)")
        }
    }
}

@Suite struct PoliceUKRejectsTests {
    /// Every rejected row — refused by its own file's rules or found a duplicate across files —
    /// goes to the rejects file with its file, line and reason, the record byte for byte.
    @Test func rejectedRowsAreWrittenOutExactly() throws {
        let folder = TemporaryFolder()
        let metStreet = Fixture.lines([
            Fixture.street,
            Fixture.streetRow("A1", "2024-01", last: ""),
            Fixture.streetRow("A1", "2024-01", type: "\"Rob,\"\"bery\"\"\"", last: ""),
            Fixture.streetRow("A2", "24-01", last: ""),
        ])
        try metStreet.write(toFile: folder.file("met-street.csv"), atomically: true, encoding: .utf8)
        let sink = CollectingRejects()
        var reader = PoliceUKReader(sourceName: folder.path)
        reader.rejectSink = sink
        let report = try reader.read(PoliceUKFiles.folder(folder.path)).report
        #expect(report.rejected == 2)
        let written = String(decoding: sink.bytes, as: UTF8.self)
        let expected = "file,line,reason,record\n"
            + "met-street.csv,3,\"duplicate Crime ID 'A1' (first seen in met-street.csv, line 2)\","
            + "\"" + Fixture.streetRow("A1", "2024-01", type: "\"Rob,\"\"bery\"\"\"", last: "").replacingOccurrences(of: "\"", with: "\"\"") + "\"\n"
            + "met-street.csv,4,Month '24-01' is not a month (expected YYYY-MM),\"" + Fixture.streetRow("A2", "24-01", last: "") + "\"\n"
        #expect(written == expected)
    }
}

@Suite struct PoliceUKExportTests {
    /// An export's metadata accounts for every street row: read = accepted + skipped + rejected.
    @Test func exportMetadataCountsSkippedIncidents() throws {
        let folder = Fixture.folder()
        let result = try CaseSource.detect(path: folder.path).load()
        let query = AnalysisQuery(view: .breakdown, dimension: "force")
        let prepared = try Exporter.prepare(try query.table(of: result.table), query: query, source: result.report, suppression: nil)
        let metadata = Dictionary(prepared.metadata, uniquingKeysWith: { first, _ in first })
        #expect(metadata["source_format"] == "police.uk")
        #expect(metadata["rows_read"] == "9" && metadata["rows_accepted"] == "7" && metadata["rows_rejected"] == "1")
        #expect(metadata["rows_skipped"] == "1 anti-social behaviour incidents (no Crime ID)")
    }
}
