import Crypto
/// Why a record's bytes could not be split into fields.
public enum RecordProblem: Equatable, Sendable {
    /// A quoted field was still open at the end of the file.
    case unterminatedQuote
    /// Text followed a closing quote inside a field (1-based field number).
    case textAfterClosingQuote(field: Int)
    /// A quote opened on this line was closed only on a later line, whose lines read as rows of
    /// their own: this line alone is the record (see `CSVScanner.resynchronise`).
    case strayQuote(closedOnLine: Int)
    /// The record ran past `ImportLimits.maxRecordBytes`: a line that long is skipped to its end
    /// (and `rawRecord` is empty), a quote held open that long costs its opening line alone.
    case tooLong
}

extension RecordProblem {
    /// Why a record with this problem (or, with none, `fields` fields where the header has
    /// `expected`) is rejected, for the record starting on `line`; nil when it is whole.
    static func reason(_ problem: RecordProblem?, fields: Int, expected: Int, line: Int) -> String? {
        switch problem {
        case .unterminatedQuote:
            return "unterminated quote: a quoted field is still open at the end of the file"
        case .textAfterClosingQuote(let field):
            return "malformed quoting in field \(field + 1): text follows the closing quote"
        case .tooLong:
            return "the record runs past \(ImportLimits.maxRecordBytes >> 20) MiB, the most one may take "
                + "(a line that long, or a quote never closed): rejected"
        case .strayQuote(let closing):
            return "a quote opened on this line is closed only on line \(closing); this line alone is rejected "
                + "and the \(closing - line) lines after it are read as rows of their own"
        case nil:
            return fields == expected ? nil : "has \(fields) fields, the header has \(expected)"
        }
    }
}

extension CSVScanner {
    /// Why the current record cannot be read at all against a header of `fieldCount` fields, if
    /// it cannot. A stray quote may have joined rows: then its line alone is the record, and the
    /// lines after it are read on.
    func structuralProblem(expecting fieldCount: Int) -> String? {
        if problem != nil || self.fieldCount != fieldCount { _ = resynchronise(expecting: fieldCount) }
        return RecordProblem.reason(problem, fields: self.fieldCount, expected: fieldCount, line: line)
    }
}

/// Streams RFC 4180 records from a byte source, one at a time, without loading the file.
///
/// Handles quoted fields holding commas, `""` and line breaks; LF and CRLF line ends; a UTF-8
/// byte-order mark. Fields are raw bytes (unescaped), valid until the next call to `next()`.
/// Every record keeps its exact bytes (`rawRecord`) and the file line it starts on.
public final class CSVScanner {
    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    private var source: any ByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var end = 0
    private var position = 0
    private var atEndOfSource = false
    private var nextLine = 1
    private var startedReading = false

    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    /// The current record's fields; entries point into `buffer` or, once unescaped, into `scratch`.
    private var fieldStorage: UnsafeMutablePointer<UnsafeRawBufferPointer>
    private var fieldCapacity = 64
    private var fieldTotal = 0
    private var recordStart = 0
    private var recordEnd = 0

    /// The SHA-256 of every byte read so far: at the end, the source's fingerprint, from the
    /// same bytes that were counted (the file is read once). Nil when the scanner reads only part
    /// of a file, whose fingerprint is taken elsewhere.
    private var digest: Crypto.SHA256? = Crypto.SHA256()

    /// The SHA-256 of the bytes read so far, as lower-case hex.
    public var sha256: String { source.originalSHA256 ?? digest.map { Hex.string($0.finalize()) } ?? "" }

    /// Bytes read from the source so far.
    public private(set) var bytesRead: Int64 = 0
    /// Size of the source, when known.
    public var totalBytes: Int64? { source.totalBytes }
    /// The file line (1-based) on which the current record starts.
    public private(set) var line = 0
    /// Why the current record could not be split, if it could not.
    public private(set) var problem: RecordProblem?
    /// Empty lines passed over so far (they are not records).
    public private(set) var blankLines = 0

    /// A scanner over part of a file starting on `firstLine`, after the start (so no byte-order
    /// mark, and no binary data, is looked for); `fingerprinting` false leaves out the SHA-256.
    convenience init(source: any ByteSource, firstLine: Int, fingerprinting: Bool = true) {
        self.init(source: source, fingerprinting: fingerprinting)
        nextLine = firstLine
        atFileStart = firstLine == 1
    }

    /// The file line the next record starts on (blank lines before it aside).
    public var nextRecordLine: Int { nextLine }

    /// Whether the source starts at the start of its file (where a byte-order mark may stand).
    private var atFileStart = true

    /// A scanner reading `source` in chunks of `chunkSize` bytes; `fingerprinting` false leaves out the SHA-256.
    public init(source: any ByteSource, chunkSize: Int = 1 << 20, fingerprinting: Bool = true) {
        self.source = source
        if !fingerprinting { digest = nil }
        capacity = max(chunkSize, 64)
        buffer = .allocate(capacity: capacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
        fieldStorage = .allocate(capacity: fieldCapacity)
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
        fieldStorage.deallocate()
    }

    /// Number of fields in the current record.
    public var fieldCount: Int { fieldTotal }

    /// The unescaped bytes of every field of the current record, valid until the next call to `next()`.
    public var fields: UnsafeBufferPointer<UnsafeRawBufferPointer> {
        UnsafeBufferPointer(start: fieldStorage, count: fieldTotal)
    }

    /// The unescaped bytes of field `index` of the current record.
    public func field(_ index: Int) -> UnsafeRawBufferPointer { fieldStorage[index] }

    /// The current record exactly as it stands in the file, line end included.
    public var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + recordStart, count: recordEnd - recordStart)
    }

    /// Moves to the next record. Returns false at the end of the source.
    public func next() throws -> Bool {
        if !startedReading { try start() }
        if isBinary { return false }
        while true {
            switch scanRecord() {
            case .record:
                if fieldTotal == 1, fieldStorage[0].isEmpty, problem == nil, buffer[recordStart] != CSVScanner.quote {
                    blankLines += 1
                    continue
                }
                return true
            case .needMoreData:
                if end - position >= ImportLimits.maxRecordBytes {
                    try skipOversized()
                    return true
                }
                try fill()
            case .endOfData:
                return false
            }
        }
    }

    private enum ScanResult { case record, needMoreData, endOfData }

    private func start() throws {
        startedReading = true
        while end < 3, !atEndOfSource { try fill() }
        if atFileStart, end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        // Text in UTF-8 never holds a NUL byte; binary data and UTF-16 or UTF-32 text do. (Only the
        // start of a file tells: part of one read on its own is whatever the file is.)
        if atFileStart { isBinary = UnsafeBufferPointer(start: buffer, count: min(end, 1 << 16)).contains(0) }
    }

    /// True when the start of the source holds NUL bytes: not UTF-8 text, so nothing is read.
    public private(set) var isBinary = false

    /// Bytes of the source taken up by the records read so far.
    public var bytesConsumed: Int64 { bytesRead - Int64(end - position) }

    /// Ends a record that has run past the size limit: with a line end in it (a quote held open),
    /// its first line alone; without one, the whole line, read to its end and not kept.
    private func skipOversized() throws {
        let start = position
        fieldTotal = 0
        line = nextLine
        nextLine += 1
        problem = .tooLong
        if let lineEnd = UnsafeBufferPointer(start: buffer + start, count: end - start).firstIndex(of: CSVScanner.lf) {
            recordStart = start
            recordEnd = start + lineEnd + 1
            position = recordEnd
            return
        }
        position = end
        while !atEndOfSource {
            try fill()
            if let lineEnd = UnsafeBufferPointer(start: buffer + position, count: end - position).firstIndex(of: CSVScanner.lf) {
                position += lineEnd + 1
                break
            }
            position = end
        }
        recordStart = position
        recordEnd = position
    }

    /// Compacts the unread bytes to the front, grows the buffer if a record fills it, and reads more.
    private func fill() throws {
        if position > 0 {
            let remaining = end - position
            if remaining > 0 { buffer.update(from: buffer + position, count: remaining) }
            end = remaining
            position = 0
        }
        if end == capacity { CSVScanner.double(&buffer, &capacity, keeping: end) }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { atEndOfSource = true }
        digest?.update(bufferPointer: UnsafeRawBufferPointer(start: buffer + end, count: n))
        end += n
        bytesRead += Int64(n)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func scanRecord() -> ScanResult {
        let buf = buffer, end = self.end, eof = atEndOfSource
        let start = position
        if start >= end { return eof ? .endOfData : .needMoreData }
        var count = 0
        var escaped: [Int] = []
        var found: RecordProblem?
        var lineBreaks = 0
        var i = start
        fields: while true {
            if i >= end {
                if !eof { return .needMoreData }
                addField(&count, buf + i, 0)
                break fields
            }
            if buf[i] == CSVScanner.quote {
                var j = i + 1
                var hasEscape = false
                while true {
                    while j < end, buf[j] != CSVScanner.quote {
                        if buf[j] == CSVScanner.lf { lineBreaks += 1 }
                        j += 1
                    }
                    if j >= end {
                        if !eof { return .needMoreData }
                        return unterminatedQuote(from: start)
                    }
                    if j + 1 < end, buf[j + 1] == CSVScanner.quote {
                        hasEscape = true
                        j += 2
                        continue
                    }
                    if j + 1 >= end, !eof { return .needMoreData }
                    break
                }
                if hasEscape { escaped.append(count) }
                addField(&count, buf + i + 1, j - i - 1)
                i = j + 1
                if i >= end {
                    if !eof { return .needMoreData }
                    break fields
                }
                let next = buf[i]
                if next == CSVScanner.comma { i += 1; continue fields }
                if next == CSVScanner.lf { i += 1; lineBreaks += 1; break fields }
                if next == CSVScanner.cr {
                    if i + 1 >= end {
                        if !eof { return .needMoreData }
                        i += 1
                        break fields
                    }
                    if buf[i + 1] == CSVScanner.lf { i += 2; lineBreaks += 1; break fields }
                }
                // Text after a closing quote: note it and skip to the end of the field.
                if found == nil { found = .textAfterClosingQuote(field: count - 1) }
                while i < end, buf[i] != CSVScanner.comma, buf[i] != CSVScanner.lf { i += 1 }
                if i >= end {
                    if !eof { return .needMoreData }
                    break fields
                }
                i += 1
                if buf[i - 1] == CSVScanner.lf { lineBreaks += 1; break fields }
            } else {
                let j = CSVScanner.commaOrLineEnd(in: buf, from: i, to: end)
                if j >= end {
                    if !eof { return .needMoreData }
                    let length = j > i && buf[j - 1] == CSVScanner.cr ? j - i - 1 : j - i
                    addField(&count, buf + i, length)
                    i = j
                    break fields
                }
                if buf[j] == CSVScanner.comma {
                    addField(&count, buf + i, j - i)
                    i = j + 1
                    continue fields
                }
                let length = j > i && buf[j - 1] == CSVScanner.cr ? j - i - 1 : j - i
                addField(&count, buf + i, length)
                i = j + 1
                lineBreaks += 1
                break fields
            }
        }
        fieldTotal = count
        recordStart = start
        recordEnd = i
        position = i
        line = nextLine
        nextLine += lineBreaks
        problem = found
        if !escaped.isEmpty { unescape(escaped) }
        return .record
    }

    /// The offset of the first comma or line feed in `buffer[from..<to]`, else `to`. Eight bytes
    /// are looked at a turn: a byte equal to the one sought is a zero byte after an exclusive or,
    /// and `(x - 0x01…01) & ~x & 0x80…80` marks the first zero byte of `x` exactly (a borrow can
    /// mark bytes above it only), so the lowest mark is the answer.
    @inline(__always)
    static func commaOrLineEnd(in buffer: UnsafeMutablePointer<UInt8>, from: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let commas = ones &* UInt64(comma), lineFeeds = ones &* UInt64(lf)
        var j = from
        while j &+ 8 <= end {
            let word = UnsafeRawPointer(buffer + j).loadUnaligned(as: UInt64.self).littleEndian
            let c = word ^ commas, l = word ^ lineFeeds
            let marks = ((c &- ones) & ~c | (l &- ones) & ~l) & highs
            if marks != 0 { return j &+ marks.trailingZeroBitCount >> 3 }
            j &+= 8
        }
        while j < end, buffer[j] != comma, buffer[j] != lf { j &+= 1 }
        return j
    }

    @inline(__always)
    private func addField(_ count: inout Int, _ start: UnsafeMutablePointer<UInt8>, _ length: Int) {
        if count == fieldCapacity { CSVScanner.double(&fieldStorage, &fieldCapacity, keeping: count) }
        fieldStorage[count] = UnsafeRawBufferPointer(start: start, count: length)
        count += 1
    }

    /// At the end of the file inside an open quote: the record's first line is rejected as it
    /// stands, and reading resumes on the line after it, so nothing further is swallowed.
    private func unterminatedQuote(from start: Int) -> ScanResult {
        var i = start
        while i < end, buffer[i] != CSVScanner.lf { i += 1 }
        if i < end { i += 1 }
        fieldTotal = 0
        recordStart = start
        recordEnd = i
        position = i
        line = nextLine
        nextLine += 1
        problem = .unterminatedQuote
        return .record
    }

    /// Recovers from a stray quote. When the current record runs over several lines because a
    /// quote opened on its first line was closed only on a later one, and the lines after the
    /// first each read on their own as a complete row of `fields` fields (the last may hold the
    /// closing quote), the record becomes its first line alone, with the problem
    /// `strayQuote(closedOnLine:)`, and reading resumes on the next line. Returns whether it did.
    public func resynchronise(expecting fields: Int) -> Bool {
        let start = recordStart, stop = recordEnd
        var lineEnds: [Int] = []
        for i in start..<stop where buffer[i] == CSVScanner.lf { lineEnds.append(i) }
        if stop > start, buffer[stop - 1] != CSVScanner.lf { lineEnds.append(stop) }
        guard lineEnds.count >= 2 else { return false }
        var whole = 0
        for (index, lineEnd) in lineEnds.enumerated().dropFirst() {
            let from = lineEnds[index - 1] + 1
            if isCompleteRow(from, lineEnd, fields: fields) {
                whole += 1
            } else if index != lineEnds.count - 1 {
                return false
            }
        }
        guard whole > 0 else { return false }
        let firstEnd = lineEnds[0] + 1
        recordEnd = firstEnd
        position = firstEnd
        fieldTotal = 0
        nextLine = line + 1
        problem = .strayQuote(closedOnLine: line + lineEnds.count - 1)
        return true
    }

    /// Whether bytes `from..<to` (one line, without its line end) are a row of `fields` fields
    /// with every quote closed.
    private func isCompleteRow(_ from: Int, _ to: Int, fields: Int) -> Bool {
        var quoted = false, count = 1
        for i in from..<to {
            switch buffer[i] {
            case CSVScanner.quote: quoted.toggle()
            case CSVScanner.comma where !quoted: count += 1
            default: break
            }
        }
        return !quoted && count == fields
    }

    /// Moves the first `kept` elements of `storage` into an allocation twice the size.
    private static func double<Element>(_ storage: inout UnsafeMutablePointer<Element>, _ capacity: inout Int, keeping kept: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: kept)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }

    /// Copies fields holding `""` into scratch space with each pair read as one quote.
    private func unescape(_ indices: [Int]) {
        let needed = recordEnd - recordStart
        if scratchCapacity < needed {
            scratch.deallocate()
            scratchCapacity = max(needed, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        var out = 0
        for index in indices {
            let source = fieldStorage[index]
            let outStart = out
            var k = 0
            while k < source.count {
                scratch[out] = source[k]
                out += 1
                k += source[k] == CSVScanner.quote ? 2 : 1
            }
            fieldStorage[index] = UnsafeRawBufferPointer(start: scratch + outStart, count: out - outStart)
        }
    }
}
