/// What one police.uk file holds once parsed on a worker thread, before its rows join the table:
/// everything that depends on that file alone. What depends on other files — whether a Crime ID
/// was seen before, which row an outcome belongs to — is settled when the rows are added, in file order.
struct ParsedFile {
    /// What the file turned out to be.
    enum Content {
        /// A street file's candidate crimes.
        case street(StreetRows)
        /// An outcomes file, read only as far as its header (its rows are read once every crime is known).
        case outcomesHeader
        /// An outcomes file's events.
        case outcomes(OutcomeEvents)
        /// Neither: passed over, and why.
        case passedOver(String)
    }

    let content: Content
    /// Data rows read.
    var rows = 0
    /// Empty lines passed over.
    var blankLines = 0
    /// SHA-256 of the bytes read.
    var sha256 = ""
    /// Bytes read.
    var bytesRead: Int64 = 0
    /// Rows refused and warnings, in line order, with the refused rows' bytes for the rejects file.
    var problems: [Problem] = []

    /// A row refused or warned about.
    struct Problem {
        let line: Int
        /// The rejection's or warning's text.
        let reason: String
        /// nil for a rejection; the field concerned for a warning.
        let warningField: String?
        /// The refused record as it stood in the file (empty for warnings); `LabelledRejects` drops its line end.
        let record: [UInt8]

        /// The scanner's current record, refused for `reason`.
        static func rejection(_ scanner: CSVScanner, _ reason: String) -> Problem {
            Problem(line: scanner.line, reason: reason, warningField: nil, record: Array(scanner.rawRecord))
        }
    }
}

/// A street file's rows that passed every check of their own (Crime ID present, month and crime
/// type readable, field count right): each a candidate case. Byte strings are held in arenas.
struct StreetRows {
    var lines: [UInt32] = []
    var months: [Int32] = []
    /// `PoliceUKOutcome.rawValue`, or `noCategory` for a blank or unknown one.
    var categories: [UInt8] = []
    var ids = ByteArena()
    /// Each row's record as it stood in the file, kept only when rejected rows are written out
    /// (a row found to be a duplicate when added must go to the rejects file byte for byte).
    var records: ByteArena?
    /// Per dimension (crime type, force, LSOA name): each row's code among the file's own spellings.
    var codes: [[UInt32]] = [[], [], []]
    var spellings: [LocalSpellings] = [LocalSpellings(), LocalSpellings(), LocalSpellings()]
    /// Anti-social behaviour incidents (no Crime ID).
    var skipped = 0

    static let noCategory = UInt8.max
}

/// A file's distinct spellings of one column, each given a code in the order first seen.
struct LocalSpellings {
    private var table = InternTable()
    /// Spellings held.
    var count: Int { table.count }
    /// The code of `bytes`, added if new.
    mutating func code(_ bytes: UnsafeRawBufferPointer) -> UInt32 { UInt32(table.insert(bytes).id) }
    /// The spelling with this code.
    func spelling(_ code: Int) -> ArraySlice<UInt8> { table.key(code) }
}

/// Byte strings one after another, each found by its index.
struct ByteArena {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    /// Strings held.
    var count: Int { ends.count }
    /// Adds `value`.
    mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        ends.append(UInt32(bytes.count))
    }
    /// Calls `body` with string `index`.
    func withString<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<Int(ends[index])])) }
    }
}

/// An outcomes file's rows, each settled against the crimes read: applied events, and counts of the rest.
struct OutcomeEvents {
    /// Row of the crime each applied event belongs to, in file order.
    var caseRows: [Int32] = []
    /// Each applied event's month, as a day number.
    var days: [Int32] = []
    /// Each applied event's `PoliceUKOutcome.rawValue`.
    var categories: [UInt8] = []
    var outside = 0, blank = 0, unknown = 0, rejected = 0
}

/// The parsing each worker does, one file at a time: pure functions of a file (and, for outcome
/// files, of the crimes already read).
enum PoliceUKParsing {
    /// Classifies `file` by its header; reads it whole if it is a street file (`readStreet`), or,
    /// given the crimes (`crimes`), if it is an outcomes file.
    static func parse(_ file: PoliceUKFile, crimes: CaseLookup?, keepingRecords: Bool) throws -> ParsedFile {
        guard file.isCSV else { return ParsedFile(content: .passedOver("not a CSV file")) }
        // Before the crimes are known, an outcomes file is only looked at: its header read from a
        // source that holds little, never the whole file inflated for one line.
        if crimes == nil {
            let peek = CSVScanner(source: try file.peek(), chunkSize: 1 << 16)
            if try peek.next(), !peek.isBinary,
               PoliceUKFileKind(header: (0..<peek.fieldCount).map { DisplayText.decode(peek.field($0)).text }) == .outcomes {
                return ParsedFile(content: .outcomesHeader)
            }
        }
        let source = try file.open()
        let scanner = CSVScanner(source: source)
        let hasHeader = try scanner.next()
        let names = hasHeader && !scanner.isBinary ? (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text } : []
        var parsed: ParsedFile
        switch PoliceUKFileKind(header: names) {
        case .street?:
            parsed = try readStreet(scanner, positions(names), keepingRecords: keepingRecords)
        case .outcomes?:
            guard let crimes else { return ParsedFile(content: .outcomesHeader) }
            parsed = try readOutcomes(scanner, positions(names), crimes)
        case nil:
            if scanner.isBinary { return ParsedFile(content: .passedOver("not text")) }
            let stopAndSearch = names.contains { $0.lowercased().contains("object of search") } || file.name.lowercased().contains("stop-and-search")
            return ParsedFile(content: .passedOver(stopAndSearch ? "stop and search" : "not a police.uk street or outcomes file"))
        }
        try source.requireUnchanged(file.name)
        parsed.blankLines = scanner.blankLines
        parsed.sha256 = scanner.sha256
        parsed.bytesRead = scanner.bytesRead
        return parsed
    }

    private static func positions(_ names: [String]) -> [String: Int] {
        var map: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if map[key] == nil { map[key] = index }
        }
        return map
    }

    private static func readStreet(_ scanner: CSVScanner, _ at: [String: Int], keepingRecords: Bool) throws -> ParsedFile {
        let fieldCount = scanner.fieldCount
        let id = at["crime id"]!, month = at["month"]!, crimeType = at["crime type"]!, category = at["last outcome category"]!
        let force = at["falls within"] ?? at["reported by"], lsoa = at["lsoa name"]
        var rows = StreetRows()
        if keepingRecords { rows.records = ByteArena() }
        var categories = CategoryReader()
        var problems: [ParsedFile.Problem] = []
        var count = 0
        while try scanner.next() {
            count += 1
            if let problem = scanner.structuralProblem(expecting: fieldCount) {
                problems.append(.rejection(scanner, problem))
                continue
            }
            let crimeId = FieldParsing.trimmed(scanner.field(id))
            if crimeId.isEmpty {
                rows.skipped += 1
                continue
            }
            let monthText = FieldParsing.trimmed(scanner.field(month))
            let reported = PoliceUKReader.month(monthText)
            let crime = FieldParsing.trimmed(scanner.field(crimeType))
            guard let reported, !crime.isEmpty else {
                var reasons: [String] = []
                if monthText.isEmpty {
                    reasons.append("missing Month")
                } else if reported == nil {
                    reasons.append("Month \(quoted(monthText)) is not a month (expected YYYY-MM)")
                }
                if crime.isEmpty { reasons.append("missing Crime type") }
                problems.append(.rejection(scanner, reasons.joined(separator: "; ")))
                continue
            }
            rows.lines.append(UInt32(clamping: scanner.line))
            rows.months.append(reported.days)
            rows.ids.append(crimeId)
            if rows.records != nil { rows.records!.append(scanner.rawRecord) }
            let code = categories.code(FieldParsing.trimmed(scanner.field(category)))
            if code == CategoryReader.unknown {
                problems.append(unknownCategory(scanner, FieldParsing.trimmed(scanner.field(category))))
            }
            rows.categories.append(code == CategoryReader.unknown ? StreetRows.noCategory : code)
            rows.codes[0].append(rows.spellings[0].code(crime))
            for (dimension, column) in [(1, force), (2, lsoa)] {
                let value = column.map { FieldParsing.trimmed(scanner.field($0)) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                rows.codes[dimension].append(rows.spellings[dimension].code(value))
            }
        }
        var parsed = ParsedFile(content: .street(rows))
        parsed.rows = count
        parsed.problems = problems
        return parsed
    }

    private static func readOutcomes(_ scanner: CSVScanner, _ at: [String: Int], _ crimes: CaseLookup) throws -> ParsedFile {
        let fieldCount = scanner.fieldCount
        let id = at["crime id"]!, month = at["month"]!, category = at["outcome type"]!
        var events = OutcomeEvents()
        var categories = CategoryReader()
        var problems: [ParsedFile.Problem] = []
        var rows = 0
        while try scanner.next() {
            rows += 1
            if let problem = scanner.structuralProblem(expecting: fieldCount) {
                events.rejected += 1
                problems.append(.rejection(scanner, problem))
                continue
            }
            let crimeId = FieldParsing.trimmed(scanner.field(id))
            let monthText = FieldParsing.trimmed(scanner.field(month))
            guard !crimeId.isEmpty, let when = PoliceUKReader.month(monthText) else {
                events.rejected += 1
                let reason = crimeId.isEmpty ? "missing Crime ID"
                    : monthText.isEmpty ? "missing Month" : "Month \(quoted(monthText)) is not a month (expected YYYY-MM)"
                problems.append(.rejection(scanner, reason))
                continue
            }
            guard let row = crimes.row(crimeId) else {
                events.outside += 1
                continue
            }
            let text = FieldParsing.trimmed(scanner.field(category))
            let code = categories.code(text)
            if code == StreetRows.noCategory {
                events.blank += 1
                continue
            }
            if code == CategoryReader.unknown {
                events.unknown += 1
                problems.append(unknownCategory(scanner, text))
                continue
            }
            let reported = crimes.reportedDays[row]
            if when.days < reported {
                problems.append(ParsedFile.Problem(
                    line: scanner.line, reason: "outcome dated \(DatePrecision.month.text(when)), before its crime's month "
                        + "\(DatePrecision.month.text(DayNumber(days: reported)))", warningField: "Month", record: []))
            }
            events.caseRows.append(Int32(row))
            events.days.append(when.days)
            events.categories.append(code)
        }
        var parsed = ParsedFile(content: .outcomes(events))
        parsed.rows = rows
        parsed.problems = problems
        return parsed
    }

    private static func unknownCategory(_ scanner: CSVScanner, _ text: UnsafeRawBufferPointer) -> ParsedFile.Problem {
        ParsedFile.Problem(line: scanner.line, reason: "\(quoted(text)) is not a police.uk outcome category this version knows; ignored",
                           warningField: "outcome category", record: [])
    }

    private static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        DisplayText.quoted(DisplayText.decode(bytes).text)
    }
}

/// Reads outcome categories, each distinct spelling decoded once.
struct CategoryReader {
    /// The code of a category this version does not know.
    static let unknown = UInt8.max - 1
    private var spellings = InternTable()
    private var codes: [UInt8] = []

    /// `PoliceUKOutcome.rawValue` of `text`; `StreetRows.noCategory` when blank, `unknown` when not a category.
    mutating func code(_ text: UnsafeRawBufferPointer) -> UInt8 {
        if text.isEmpty { return StreetRows.noCategory }
        if let id = spellings.find(text) { return codes[id] }
        let code = PoliceUKOutcome(text: DisplayText.decode(text).text).map { UInt8($0.rawValue) } ?? CategoryReader.unknown
        _ = spellings.insert(text)
        codes.append(code)
        return code
    }
}
