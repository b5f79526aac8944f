import AttritionCore
import Foundation

/// The fuzz targets: every reader of outside input, fed arbitrary bytes. A reader may refuse
/// the bytes with an error (that is its job); it must never crash, hang, or lose a row — every
/// target checks that rows read = accepted + rejected (+ skipped) whenever a read succeeds.
/// Run by libFuzzer through `attrition-fuzz` (Fuzz/run), and every seed and every input that
/// once crashed is replayed by the tests.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A canonical case-journey CSV, read from memory.
    case csv
    /// One police.uk street file.
    case policeUKFile = "police-uk-file"
    /// A police.uk archive.
    case policeUKZip = "police-uk-zip"
    /// A mapping file, applied to a small records-system extract when it loads.
    case mapping
    /// A measures file, scored on a small table when it loads.
    case measures
    /// One event log carrying the cases' attributes, read through a fixed mapping.
    case eventLog = "event-log"
    /// An event file beside a fixed case file.
    case eventsFile = "events-file"
    /// A snapshot file (`attrition save`). The input's first eight bytes give the manifest's
    /// offset and the rest is the body, sealed with a header whose lengths and checksum are right,
    /// so mutations reach the manifest and columns instead of stopping at the checksum; an input
    /// of fewer than eight bytes goes in as it is.
    case snapshot

    /// Runs the target on `bytes`, stopping the process (so libFuzzer keeps the input) when an
    /// invariant breaks.
    public func run(_ bytes: [UInt8]) {
        let folder = FuzzFolder.shared.path
        switch self {
        case .csv:
            check(try? CaseImporter(fileName: "fuzz.csv").importCases(from: CSVScanner(source: MemoryByteSource(bytes), chunkSize: 64)))
        case .policeUKFile:
            let path = Self.write(bytes, to: folder + "/2024-06-kent-street.csv")
            check(try? PoliceUKReader(sourceName: path).read(PoliceUKFiles.single(path)))
        case .policeUKZip:
            let path = Self.write(bytes, to: folder + "/police.zip")
            guard let archive = try? ZipReader(path: path) else { return }
            check(try? PoliceUKReader(sourceName: path).read(PoliceUKFiles.archive(archive)))
        case .mapping:
            let path = Self.write(bytes, to: folder + "/attrition.toml")
            guard let mapping = try? Mapping.load(path: path) else { return }
            check(try? CaseSource.caseFile(FuzzTarget.fixtures.extract).load(limits: FuzzTarget.limits, mapping: mapping))
        case .measures:
            let path = Self.write(bytes, to: folder + "/measures.toml")
            let cases = FuzzTarget.fixtures.sample
            guard let measures = try? MeasureSet.load(path: path), let bcu = cases.dimension(named: "bcu") else { return }
            _ = try? ScorecardAnalysis.scorecard(of: cases, by: bcu, measures: measures)
        case .eventLog:
            let log = Self.write(bytes, to: folder + "/log.csv")
            check(try? CaseSource.caseFile(log).load(limits: FuzzTarget.limits, mapping: FuzzTarget.fixtures.logMapping))
        case .eventsFile:
            _ = Self.write(bytes, to: folder + "/events.csv")
            check(try? CaseSource.caseFile(FuzzTarget.fixtures.cases).load(limits: FuzzTarget.limits, mapping: FuzzTarget.fixtures.eventsMapping))
        case .snapshot:
            let file = bytes.count < 8 ? bytes
                : SnapshotFile.sealed(body: Array(bytes[8...]), manifestOffset: bytes[..<8].reversed().reduce(0) { $0 << 8 | UInt64($1) })
            let path = Self.write(file, to: folder + "/fuzz.attrition")
            guard let result = try? SnapshotFile.open(path: path) else { return }
            check(result)
            // Whatever a snapshot that opens holds, every view of it must be worked out without a crash.
            let table = result.table
            for dimension in table.dimensions { _ = try? FunnelAnalysis.funnel(of: table, by: dimension) }
            for row in [0, table.rowCount - 1] where row >= 0 && row < table.rowCount {
                _ = (table.caseId(ofRow: row), table.sourcePlace(ofRow: row), table.reachedDate(ofRow: row, at: .convicted))
            }
            _ = table.latestDate
        }
    }

    /// What the targets read beside their input, made once per process: the files written to the
    /// scratch folder, the sample's cases imported, and the event targets' mappings loaded (TOMLKit
    /// never frees a parsed document, so parsing them for every input would fill memory).
    static let fixtures: (extract: String, cases: String, sample: CaseTable, logMapping: Mapping, eventsMapping: Mapping) = {
        let folder = FuzzFolder.shared.path
        let extract = write(Array(FuzzTarget.extract.utf8), to: folder + "/extract.csv"), cases = write(sampleCases, to: folder + "/cases.csv")
        guard let log = try? Mapping.load(path: write(Array(logMapping.utf8), to: folder + "/log.toml")),
              let events = try? Mapping.load(path: write(Array(EventSample.mapping.utf8), to: folder + "/events.toml")),
              let sample = try? CaseImporter(fileName: "sample.csv").importCases(from: CSVScanner(source: MemoryByteSource(sample))).table else {
            fatalError("the fixed inputs must read")
        }
        return (extract, cases, sample, log, events)
    }()

    /// Small limits, so a fuzzed input cannot make a run slow by sheer size.
    static let limits = ImportLimits(maxDistinct: 1_000, maxMemory: 1 << 30, listed: 100)

    /// Nothing lost: every row read was accepted, rejected or skipped, and the table holds the accepted ones.
    private func check(_ result: ImportResult?) {
        guard let result else { return }
        let report = result.report
        if report.rows != report.accepted + report.rejected + report.skipped {
            fatalError("\(rawValue): \(report.rows) rows read but \(report.accepted) accepted, \(report.rejected) rejected, \(report.skipped) skipped")
        }
        if result.table.rowCount != report.accepted {
            fatalError("\(rawValue): \(report.accepted) accepted but \(result.table.rowCount) rows in the table")
        }
    }

    /// Writes `bytes` to `path` (replacing it) and returns the path.
    private static func write(_ bytes: [UInt8], to path: String) -> String {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// A canonical file for the measures target to score.
    static let sample = SampleGenerator.bytes(SampleSpec(cases: 200, seed: 3))

    /// A records-system extract for the mapping target to read.
    static let extract = """
        URN,Recorded,Offence,Borough,Sex,Charged On,Result,Victim Name
        A1,01/02/2023,Rape,Camden,F,03/04/2023,Charged,Jane
        A2,02/02/2023,Stalking,Hackney,M,,NFA 16,Bob
        A3,03/02/2023,Rape,Lambeth,F,,Under investigation,Cat

        """

    /// The mapping the event-log target reads its log through.
    static let logMapping = """
        [columns]
        crime_type = "Offence"
        borough    = "Borough"

        [dates]
        formats = ["%d-%b-%Y"]

        [events]
        case_id = "URN"
        event   = "Event"
        date    = "When"

        [events.map]
        "Crime Recorded" = "reported"
        "Referred"       = "referred"
        "Charged"        = "charged"
        "Hearing"        = "prosecuted"
        "Guilty"         = "convicted"
        "Acquitted"      = "court:acquitted"
        "NFA 16"         = "outcome:16"

        """

    /// The case file the events-file target's events apply to: the records-system sample's
    /// (`attrition sample --format events --cases 12 --seed 4`, whose event file is the seed).
    static let sampleCases: [UInt8] = {
        var cases: [UInt8] = []
        try? EventSample.write(SampleSpec(cases: 12, seed: 4), cases: { cases += $0 }, events: { _ in })
        return cases
    }()
}

/// A private scratch folder for the targets that read files, in memory-backed /dev/shm where there is one.
final class FuzzFolder: Sendable {
    /// The folder's path.
    let path: String

    /// The process's folder.
    static let shared = FuzzFolder()

    private init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = base + "/attrition-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
