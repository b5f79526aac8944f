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
        // File and reason are text of the program's own or a path: sanitised and guarded as every exported cell is.
        var row = Array(([file, String(line), reason].map(CSVText.cell).joined(separator: ",") + ",\"").utf8)
        for byte in record[..<end] {
            row.append(byte)
            if byte == 0x22 { row.append(0x22) }
        }
        row += [0x22, 0x0A]
        try row.withUnsafeBytes { try sink.reject($0) }
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
    /// Called as the import goes (after each piece or batch of records).
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
    /// About how many bytes of a case file each thread reads at a time (a smaller file is read on one).
    var casePieceBytes: Int64 = 8 << 20
    /// Records a stream (a file read in another encoding, a pipe) is read in at a time.
    var streamBatchRecords = 65_536

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
        let result: ImportResult
        if chosen == .utf8, let size = file.totalBytes, size > casePieceBytes {
            result = try importer.importInPieces(path: path)
        } else {
            result = try importer.importCases(from: CSVScanner(source: chosen == .utf8 ? file : TranscodingByteSource(file, encoding: chosen)))
        }
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

    /// Reads the header record from `scanner` and checks it; returns the header, the event file to
    /// read after the cases, and the assembly the cases go into.
    private func begin(_ scanner: CSVScanner) throws -> (Header, (reader: EventFileReader, path: String)?, CaseFileAssembly) {
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
        var assembly = CaseFileAssembly(header: header, limits: limits, fileName: fileName, keepingOutcomes: events != nil,
                                        expectedRows: 4096, sink: rejectSink, labelled: labelled)
        if let encodingNote { assembly.warnAboutEncoding(encodingNote) }
        return (header, events, assembly)
    }

    /// How each run of the file's records is read.
    private func runs(_ header: Header, events: Bool) -> RecordRuns {
        RecordRuns(header: header, limits: limits, mapping: mapping, keepsOutcomes: events, keepsRecords: rejectSink != nil)
    }

    /// Reads records from `scanner` into `reader` until the scanner ends (then returns true), or
    /// `maxRecords` are read, or the next record would start at or after byte `stop` of the scanner's source.
    private static func read(_ scanner: CSVScanner, into reader: inout CanonicalRowReader, header: Header,
                             maxRecords: Int = .max, stop: Int64 = .max) throws -> Bool {
        let blankBefore = scanner.blankLines
        var records = 0
        defer { reader.countRecords(records, blankLines: scanner.blankLines - blankBefore) }
        while records < maxRecords, scanner.bytesConsumed < stop {
            guard try scanner.next() else { return true }
            records += 1
            if var reason = reader.add(scanner) {
                // A stray quote may have joined rows: reject its line alone and read the others.
                if scanner.resynchronise(expecting: header.fieldCount), let problem = reader.structuralProblem(scanner.problem) {
                    reason = problem
                }
                reader.reject(scanner, reason: reason)
            }
        }
        return false
    }

    /// Imports every record `scanner` yields, a batch at a time.
    public func importCases(from scanner: CSVScanner) throws -> ImportResult {
        var (header, events, assembly) = try begin(scanner)
        var ended = false, first = true
        let runs = runs(header, events: events != nil)
        let headerBytes = scanner.bytesConsumed
        while !ended {
            var reader = runs.reader()
            ended = try Self.read(scanner, into: &reader, header: header, maxRecords: streamBatchRecords)
            try assembly.absorb(reader)
            if first, let total = scanner.totalBytes {
                assembly.reserve(forBytes: total - headerBytes, fromFirst: scanner.bytesConsumed - headerBytes)
            }
            first = false
            progress?(ImportProgress(bytesRead: scanner.bytesRead, totalBytes: scanner.totalBytes, rows: assembly.recordsRead))
        }
        return try finish(&assembly, events: events, sha256: { scanner.sha256 })
    }

    /// Imports a UTF-8 file in pieces of about `casePieceBytes` read side by side on every core
    /// (`RecordRanges` cuts them at line ends outside quotes) and joined in file order, while
    /// another thread takes the file's SHA-256. Where broken quoting makes a piece end somewhere
    /// other than where the next was cut, the next is read again from there: the result is always
    /// that of reading the file row by row.
    func importInPieces(path: String) throws -> ImportResult {
        let digest = FileDigest(path: path)
        let headerScanner = CSVScanner(source: try FileRangeByteSource(path: path, range: 0..<Int64.max), fingerprinting: false)
        var (header, events, assembly) = try begin(headerScanner)
        let pieces = try RecordRanges(path: path, start: headerScanner.bytesConsumed, startLine: headerScanner.nextRecordLine,
                                      pieceBytes: casePieceBytes)
        let total = pieces.ranges.last!.upperBound
        let runs = runs(header, events: events != nil)
        /// Reads the records starting from byte `start` (on `line`) up to the first starting at or after `stop`.
        @Sendable func readPiece(from start: Int64, line: Int, stop: Int64) throws -> (reader: CanonicalRowReader, end: Int64, endLine: Int) {
            let scanner = CSVScanner(source: try FileRangeByteSource(path: path, range: start..<Int64.max), firstLine: line,
                                     fingerprinting: false)
            var reader = runs.reader()
            _ = try Self.read(scanner, into: &reader, header: runs.header, stop: stop - start)
            return (reader, start + scanner.bytesConsumed, scanner.nextRecordLine)
        }
        var expected = (start: pieces.ranges[0].lowerBound, line: pieces.firstLines[0])
        try orderedParallelMap(count: pieces.ranges.count, { index in
            try readPiece(from: pieces.ranges[index].lowerBound, line: pieces.firstLines[index], stop: pieces.ranges[index].upperBound)
        }, consume: { index, read in
            var piece = read
            if pieces.ranges[index].lowerBound != expected.start {
                piece = try readPiece(from: expected.start, line: expected.line, stop: max(pieces.ranges[index].upperBound, expected.start))
            }
            try assembly.absorb(piece.reader)
            expected = (piece.end, piece.endLine)
            if index == 0 {
                let start = pieces.ranges[0].lowerBound
                assembly.reserve(forBytes: total - start, fromFirst: piece.end - start)
            }
            progress?(ImportProgress(bytesRead: piece.end, totalBytes: total, rows: assembly.recordsRead))
        })
        // The digest is waited for only after the events are read: its thread runs meanwhile.
        return try finish(&assembly, events: events, sha256: { try digest.value() })
    }

    /// Applies the event file, if any, and makes the result, with the case file's `sha256`.
    private func finish(_ assembly: inout CaseFileAssembly, events: (reader: EventFileReader, path: String)?,
                        sha256: () throws -> String) throws -> ImportResult {
        let rows = assembly.recordsRead
        let read = try events.map { ($0.reader, try assembly.applyEvents($0.reader, path: $0.path)) }
        return assembly.result(rows: rows, sha256: try sha256(), events: read, mapping: mapping)
    }
}

/// What every run of a case file's records is read with, shared read-only by the threads reading pieces.
struct RecordRuns: @unchecked Sendable {
    let header: Header
    let limits: ImportLimits
    let mapping: Mapping?
    let keepsOutcomes: Bool
    let keepsRecords: Bool

    /// A reader for the next run.
    func reader() -> CanonicalRowReader {
        CanonicalRowReader(header: header, limits: limits, expectedRows: 4096, mapping: mapping, keepingOutcomes: keepsOutcomes,
                           keepingRecords: keepsRecords)
    }
}
