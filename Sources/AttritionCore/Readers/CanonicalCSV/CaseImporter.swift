import Foundation

/// How far an import has got, for progress displays.
public struct ImportProgress: Sendable {
    /// Bytes read so far.
    public let bytesRead: Int64
    /// The file's size, when known.
    public let totalBytes: Int64?
    /// Data records read so far.
    public let rows: Int
}

/// Where rejected records go, byte for byte (for example a rejects file).
public protocol RejectSink: AnyObject {
    /// Called once with the file's header line, before any record.
    func header(_ raw: UnsafeRawBufferPointer) throws
    /// Called with each rejected record exactly as it stood in the file.
    func reject(_ raw: UnsafeRawBufferPointer) throws
}

/// Rejected rows of several files (a case file and its event file; police.uk's street and outcome
/// files) in one rejects file: `file,line,reason,record`, the record byte for byte in one quoted
/// field, since the files' columns differ.
final class LabelledRejects {
    private let sink: RejectSink

    /// Writes to `sink`, starting with the header line.
    init(_ sink: RejectSink) throws {
        self.sink = sink
        try Array("file,line,reason,record\n".utf8).withUnsafeBytes { try sink.header($0) }
    }

    /// Writes the record on `line` of `file`, refused for `reason`.
    func reject(_ record: UnsafeRawBufferPointer, file: String, line: Int, reason: String) throws {
        var end = record.count
        while end > 0, record[end - 1] == 0x0A || record[end - 1] == 0x0D { end -= 1 }
        var row = Array(([file, String(line), reason].map(LabelledRejects.csvField).joined(separator: ",") + ",\"").utf8)
        for byte in record[..<end] {
            row.append(byte)
            if byte == 0x22 { row.append(0x22) }
        }
        row += [0x22, 0x0A]
        try row.withUnsafeBytes { try sink.reject($0) }
    }

    /// A CSV field, quoted when it must be.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The outcome of an import: the case table and the account of every record.
public struct ImportResult: Sendable {
    /// The accepted cases.
    public let table: CaseTable
    /// Rows read, accepted, rejected and warned about.
    public let report: ImportReport
}

/// Reads a case file into a `CaseTable`, applying the contract's rules for every field
/// (sections 1, 2, 3, 5, 6 and 7).
public struct CaseImporter {
    /// The file's name, used in messages.
    public let fileName: String
    /// How often (in rows) `progress` is called.
    public var progressInterval = 50_000
    /// Called every `progressInterval` rows.
    public var progress: ((ImportProgress) -> Void)?
    /// Receives rejected records as they are met.
    public var rejectSink: RejectSink?
    /// What the import may hold.
    public var limits = ImportLimits()
    /// How the file's headers, dates and values translate to the case-journey format.
    public var mapping: Mapping?
    /// The event file giving the cases' journeys (`--events`), else the mapping's `[events] file`.
    public var eventsFile: String?
    /// The case file's character encoding; nil to tell it from the file (a byte-order mark, or
    /// bytes that are not UTF-8 but are Windows-1252).
    public var encoding: TextEncoding?
    /// The warning to give about the encoding the file was read in, if it was not UTF-8 by choice.
    private var encodingNote: String?
    /// About how many bytes of an event file each thread reads at a time.
    var eventPieceBytes: Int64 = 8 << 20

    /// An importer for a file called `fileName` in messages.
    public init(fileName: String) { self.fileName = fileName }

    /// Imports the file at `path`: a case file, or — when the mapping's `[events]` names no file
    /// and no `--events` is given — an event log carrying the cases' attributes.
    public func importFile(atPath path: String) throws -> ImportResult {
        if let mapping, let spec = mapping.events, spec.file == nil, eventsFile == nil {
            return try importEventLog(atPath: path, mapping: mapping, spec: spec)
        }
        let file = try FileByteSource(path: path)
        let chosen = try encoding ?? TextEncoding.detect(Self.sample(path: path))
        var importer = self
        if chosen != .utf8 {
            importer.encodingNote = encoding != nil ? "read as \(chosen.rawValue), as --encoding asks"
                : chosen == .windows1252 ? "not UTF-8, so read as Windows-1252 (what Excel on Windows writes); --encoding utf-8 to read it as UTF-8"
                : "read as \(chosen.rawValue), as its byte-order mark says"
        }
        let result = try importer.importCases(from: CSVScanner(source: chosen == .utf8 ? file : TranscodingByteSource(file, encoding: chosen)))
        try file.requireUnchanged(path)
        return result
    }

    /// The first mebibyte of the file at `path`, for telling its encoding.
    static func sample(path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: 1 << 20) ?? Data())
    }

    /// The event file to read after the case file, and how, if there is one.
    private func eventReading() throws -> (reader: EventFileReader, path: String)? {
        guard let mapping, let spec = mapping.events else {
            if let eventsFile {
                throw MappingError(file: mapping?.path ?? eventsFile, line: nil,
                                   reason: "--events \(eventsFile) needs a mapping with an [events] section naming its case_id, event and date columns")
            }
            return nil
        }
        // Without a file the data itself is the event log (`importEventLog`), not read from here.
        guard let path = eventsFile ?? spec.file else { return nil }
        return (EventFileReader(spec: spec, mapping: mapping, pieceBytes: eventPieceBytes), path)
    }

    /// Imports every record `scanner` yields.
    public func importCases(from scanner: CSVScanner) throws -> ImportResult {
        let hasHeader = try scanner.next()
        if scanner.isBinary { throw ImportError.notText(file: fileName) }
        guard hasHeader else { throw ImportError.empty(file: fileName) }
        if scanner.problem == .tooLong { throw ImportError.headerTooLong(file: fileName) }
        guard scanner.fieldCount <= ImportLimits.maxColumns else {
            throw ImportError.tooManyColumns(file: fileName, count: scanner.fieldCount)
        }
        let names = (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text }
        let header = try Header(names: names, file: fileName, mapping: mapping)
        let events = try eventReading()
        // With an event file, rejected rows of both files go to one rejects file, each labelled.
        let labelled = try events == nil ? nil : rejectSink.map(LabelledRejects.init)
        if events == nil { try rejectSink?.header(scanner.rawRecord) }
        // Room for a first batch of rows; once some rows are read, for as many as the file likely holds.
        let sizingRows = 4096
        var builder = CanonicalRowReader(header: header, limits: limits, expectedRows: sizingRows, mapping: mapping,
                                         keepingOutcomes: events != nil)
        if let encodingNote { builder.warnAboutEncoding(encodingNote) }
        var rows = 0
        while try scanner.next() {
            rows += 1
            if var reason = builder.add(scanner) {
                // A stray quote may have joined rows: reject its line alone and read the others.
                if scanner.resynchronise(expecting: header.fieldCount), let problem = builder.structuralProblem(scanner.problem) {
                    reason = problem
                }
                builder.reject(line: scanner.line, reason: reason)
                // A line past the size limit is not kept, so it cannot be written out (docs/data-format.md).
                if let labelled {
                    try labelled.reject(scanner.rawRecord, file: fileName, line: scanner.line, reason: reason)
                } else if !scanner.rawRecord.isEmpty {
                    try rejectSink?.reject(scanner.rawRecord)
                }
            }
            if rows == sizingRows, let total = scanner.totalBytes, scanner.bytesConsumed > 0 {
                let perRow = Double(scanner.bytesConsumed) / Double(rows)
                builder.reserve(rows: Int(min(Double(total) / perRow * 1.02, Double(Int32.max))))
            }
            if rows % 65_536 == 0 {
                let held = builder.footprint
                if held > limits.maxMemory { throw ImportError.memoryLimit(file: fileName, rows: rows, bytes: held, limit: limits.maxMemory) }
            }
            if rows % progressInterval == 0, let progress {
                progress(ImportProgress(bytesRead: scanner.bytesRead, totalBytes: scanner.totalBytes, rows: rows))
            }
        }
        progress?(ImportProgress(bytesRead: scanner.bytesRead, totalBytes: scanner.totalBytes, rows: rows))
        let read = try events.map { ($0.reader, try builder.applyEvents($0.reader, path: $0.path, sink: labelled)) }
        return builder.result(file: fileName, rows: rows, scanner: scanner, events: read, mapping: mapping)
    }
}
