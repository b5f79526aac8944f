@_exported import AttritionTestSupport
import AttritionCore
import Foundation

/// Imports CSV text held in memory, reading it in chunks of `chunkSize` bytes.
func importText(_ text: String, chunkSize: Int = 1 << 20, rejectSink: RejectSink? = nil) throws -> ImportResult {
    var importer = CaseImporter(fileName: "test.csv")
    importer.rejectSink = rejectSink
    return try importer.importCases(from: CSVScanner(source: MemoryByteSource(text, chunkSize: chunkSize), chunkSize: 64))
}

/// Imports raw bytes held in memory.
func importBytes(_ bytes: [UInt8]) throws -> ImportResult {
    try CaseImporter(fileName: "test.csv").importCases(from: CSVScanner(source: MemoryByteSource(bytes)))
}

/// Every record a scanner yields: line, fields as strings, problem and raw bytes.
func scanAll(_ text: String, chunkSize: Int = 1 << 20) throws -> [(line: Int, fields: [String], problem: RecordProblem?, raw: String)] {
    let scanner = CSVScanner(source: MemoryByteSource(text, chunkSize: chunkSize), chunkSize: 64)
    var records: [(Int, [String], RecordProblem?, String)] = []
    while try scanner.next() {
        let fields = (0..<scanner.fieldCount).map { String(decoding: scanner.field($0), as: UTF8.self) }
        records.append((scanner.line, fields, scanner.problem, String(decoding: scanner.rawRecord, as: UTF8.self)))
    }
    return records
}

/// Collects rejected records in memory.
final class CollectingRejects: RejectSink {
    var bytes: [UInt8] = []
    func header(_ raw: UnsafeRawBufferPointer) throws { bytes += raw }
    func reject(_ raw: UnsafeRawBufferPointer) throws { bytes += raw }
}

/// The header every small test file uses.
let fullHeader = "case_id,reported_date,crime_type,bcu,borough,victim_sex,victim_age,victim_ethnicity,victim_disability,victim_relationship,repeat_victim,referred_date,charged_date,prosecuted_date,convicted_date,police_outcome,court_outcome,count"

/// Every entry of the zip archive at `path` as text, read with the importer's own zip reader
/// (stored or deflated alike).
func zipTexts(_ path: String) throws -> [String: String] {
    let reader = try ZipReader(path: path)
    var texts: [String: String] = [:]
    for entry in reader.entries where !entry.isDirectory {
        let source = try reader.source(for: entry)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        texts[entry.name] = String(decoding: bytes, as: UTF8.self)
    }
    return texts
}

/// Everything an import says, as comparable lines: the account, every rejection and warning, and
/// every case with its line, journey, weight and groups.
func importAccount(_ result: ImportResult) -> [String] {
    let report = result.report, table = result.table
    var lines = ["rows \(report.rows) accepted \(report.accepted) rejected \(report.rejected) warnings \(report.warningCount)",
                 "blank \(report.blankLines) dropped \(report.droppedColumns) extras \(report.extraDimensions) sha \(report.sourceSHA256)"]
    lines += report.rejections.map { "rejected \($0.file ?? "") \($0.line): \($0.reason)" }
    lines += report.warnings.map { "warning \($0.file ?? "") \($0.line) \($0.field): \($0.reason)" }
    lines.append("stages \(table.availableStages) precision \(table.datePrecision) files \(table.sourceFiles)")
    for row in 0..<table.rowCount {
        let groups = table.dimensions.map { "\($0.name)=\($0.labels[Int($0.codes[row])])" }.joined(separator: ",")
        let dates = Stage.allCases.map { table.date(ofRow: row, at: $0)?.iso ?? "-" }.joined(separator: "/")
        lines.append("\(table.caseId(ofRow: row)) \(table.sourcePlace(ofRow: row)) \(table.furthestStage(ofRow: row)) "
                     + "\(table.outcome(ofRow: row)) \(dates) closed \(table.outcomeDate(ofRow: row)?.iso ?? "-") w\(table.weights[row]) \(groups)")
    }
    return lines
}

/// The first line where two accounts differ, or nil when they are the same.
func firstDifference(_ got: [String], _ expected: [String]) -> String? {
    guard got != expected else { return nil }
    return zip(got, expected).first { $0 != $1 }.map { "\($0.0)\n instead of \($0.1)" } ?? "\(got.count) lines instead of \(expected.count)"
}

/// A small seeded generator (SplitMix64), so a failing file can be made again from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Tables made by hand in tests name their columns by string literals.
extension ColumnKey: ExpressibleByStringLiteral {
    public init(stringLiteral name: String) { self = .heading(name) }
}
