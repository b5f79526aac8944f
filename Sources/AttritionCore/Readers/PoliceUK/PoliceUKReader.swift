import Crypto
import Foundation

/// Reads police.uk open data — street files and outcome files — into cases and journeys, exactly
/// as the police-uk contract sets out: crimes from the street files, then every outcome event
/// applied to its crime, and the table built by the one `CaseTableBuilder`.
public struct PoliceUKReader {
    /// The folder, archive or file as the user named it, for messages and reports.
    public let sourceName: String
    /// What the import may hold.
    public var limits = ImportLimits()
    /// Called now and then with the bytes and rows read so far, across all files.
    public var progress: ((ImportProgress) -> Void)?
    /// Receives every rejected row as `file,line,reason,record` (the record byte for byte, quoted).
    public var rejectSink: RejectSink?

    /// A reader of the police.uk data at `sourceName`.
    public init(sourceName: String) { self.sourceName = sourceName }

    /// The dimensions police.uk data gives (police-uk contract, section 4), in the table's order.
    private enum Dimension: Int { case crimeType, force, borough, bcu }

    /// Reads `files` (listed by `PoliceUKFiles`).
    public func read(_ files: [PoliceUKFile]) throws -> ImportResult {
        let named = files.filter { $0.name.lowercased().hasSuffix("street.csv") }.reduce(0) { $0 + $1.size }
        let total = files.reduce(0) { $0 + $1.size }
        var state = ReadState(limits: limits, sink: rejectSink, progress: progress, totalBytes: total,
                              streetBytes: named > 0 ? named : total * 3 / 5)
        try Array("file,line,reason,record\n".utf8).withUnsafeBytes { try state.sink?.header($0) }
        var outcomeFiles: [PoliceUKFile] = []
        for file in files {
            guard file.isCSV else {
                state.account.passedOver.append(.init(name: file.name, reason: "not a CSV file"))
                continue
            }
            let scanner = CSVScanner(source: try file.open())
            switch try state.kind(of: file, scanner) {
            case .street?: try state.readStreet(file, scanner)
            case .outcomes?: outcomeFiles.append(file)
            case nil: break
            }
        }
        guard state.streetFiles > 0 else {
            let looked = files.count == 1 ? "" : " (\(files.count) files looked at)"
            let reason = outcomeFiles.isEmpty
                ? "no police.uk street file in it\(looked): a street file's header has Crime ID, Month, Crime type and Last outcome category"
                : "it has outcome files but no street file\(looked); outcomes name crimes, the street files hold them: give the folder or archive with both"
            throw ImportError.unreadable(file: sourceName, reason: reason)
        }
        for file in outcomeFiles {
            let scanner = CSVScanner(source: try file.open())
            _ = try state.kind(of: file, scanner, countingPassedOver: false)
            try state.readOutcomes(file, scanner)
        }
        state.reportProgress(force: true)
        return state.finish(sourceName: sourceName)
    }

    /// Everything one read accumulates.
    private struct ReadState {
        let limits: ImportLimits
        let sink: RejectSink?
        let progress: ((ImportProgress) -> Void)?
        let totalBytes: Int64
        /// Bytes the street files likely hold (by their names), to size the columns once.
        let streetBytes: Int64
        var builder: CaseTableBuilder
        var log: ImportLog
        var account = SourceFilesAccount(format: "police.uk")
        var rows = 0, skipped = 0, streetRejected = 0, streetFiles = 0, blankLines = 0
        /// Index into `fileNames` of each case's street file.
        var fileOfRow: [UInt16] = []
        var fileNames: [String] = []
        /// Each case's deciding event: month × 2, plus 1 for the street snapshot (which comes after a month's outcome rows).
        var deciderKey: [Int32] = []
        var categorySpellings = InternTable()
        var categoryOfSpelling: [UInt8] = []
        var derivedBcu: [UInt32] = []
        /// `sha256  name` of each file read, for the source's fingerprint.
        var manifest: [(name: String, sha256: String)] = []
        var bytesBefore: Int64 = 0
        var lastProgressRows = 0
        var reserved = false

        init(limits: ImportLimits, sink: RejectSink?, progress: ((ImportProgress) -> Void)?, totalBytes: Int64, streetBytes: Int64) {
            self.limits = limits
            self.streetBytes = streetBytes
            self.sink = sink
            self.progress = progress
            self.totalBytes = totalBytes
            log = ImportLog(listed: limits.listed)
            builder = CaseTableBuilder(dimensions: [
                (CategoryEncoder(name: BuiltInDimension.crimeType.rawValue), .alphabetical),
                (CategoryEncoder(name: "force"), .alphabetical),
                (CategoryEncoder(name: BuiltInDimension.borough.rawValue) { PoliceUKReader.borough(fromLSOAName: $0) }, .alphabetical),
                (CategoryEncoder(name: BuiltInDimension.bcu.rawValue), .alphabetical),
            ], periodsAfter: 4, expectedRows: 4096)
        }

        /// Reads the header and says which kind of file this is; a file of neither kind is passed over.
        mutating func kind(of file: PoliceUKFile, _ scanner: CSVScanner, countingPassedOver: Bool = true) throws -> PoliceUKFileKind? {
            let hasHeader = try scanner.next()
            let names = hasHeader && !scanner.isBinary ? (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text } : []
            if let kind = PoliceUKFileKind(header: names) { return kind }
            guard countingPassedOver else { return nil }
            let reason: String
            if scanner.isBinary {
                reason = "not text"
            } else if names.contains(where: { $0.lowercased().contains("object of search") }) || file.name.lowercased().contains("stop-and-search") {
                reason = "stop and search"
            } else {
                reason = "its header is not a police.uk street or outcomes file"
            }
            account.passedOver.append(.init(name: file.name, reason: reason))
            return nil
        }

        /// Field positions in a police.uk file, by lower-case header name.
        private func positions(_ scanner: CSVScanner) -> [String: Int] {
            var map: [String: Int] = [:]
            for index in 0..<scanner.fieldCount {
                let key = DisplayText.decode(scanner.field(index)).text.trimmingCharacters(in: .whitespaces).lowercased()
                if map[key] == nil { map[key] = index }
            }
            return map
        }

        mutating func readStreet(_ file: PoliceUKFile, _ scanner: CSVScanner) throws {
            let at = positions(scanner)
            let fieldCount = scanner.fieldCount
            let id = at["crime id"]!, month = at["month"]!, crimeType = at["crime type"]!, category = at["last outcome category"]!
            let force = at["falls within"] ?? at["reported by"], lsoa = at["lsoa name"]
            let fileIndex = UInt16(clamping: fileNames.count)
            fileNames.append(file.name)
            streetFiles += 1
            var fileRows = 0
            while try scanner.next() {
                rows += 1
                fileRows += 1
                let line = scanner.line
                if let problem = PoliceUKReader.structuralProblem(scanner, expecting: fieldCount) {
                    streetRejected += 1
                    try reject(file, scanner, problem)
                    continue
                }
                let crimeId = FieldParsing.trimmed(scanner.field(id))
                if crimeId.isEmpty {
                    skipped += 1
                    continue
                }
                let monthText = FieldParsing.trimmed(scanner.field(month))
                var reasons: [String] = []
                let reported = PoliceUKReader.month(monthText)
                if monthText.isEmpty {
                    reasons.append("missing Month")
                } else if reported == nil {
                    reasons.append("Month \(quoted(monthText)) is not a month (expected YYYY-MM)")
                }
                let crime = FieldParsing.trimmed(scanner.field(crimeType))
                if crime.isEmpty { reasons.append("missing Crime type") }
                guard reasons.isEmpty, let reported else {
                    streetRejected += 1
                    try reject(file, scanner, reasons.joined(separator: "; "))
                    continue
                }
                if let firstLine = builder.claim(caseId: crimeId) {
                    let row = builder.row(ofCase: crimeId)!
                    streetRejected += 1
                    try reject(file, scanner, "duplicate Crime ID \(quoted(crimeId)) (first seen in \(fileNames[Int(fileOfRow[row])]), line \(firstLine))")
                    continue
                }
                var journey = CaseJourney()
                var key = Int32.min
                if let event = categoryEvent(file, line, FieldParsing.trimmed(scanner.field(category))) {
                    PoliceUKReader.apply(event, day: reported.days, key: monthKey(reported) + 1, to: &journey, decidedBy: &key)
                }
                builder.append(line: line, reported: reported.days, journey: journey)
                deciderKey.append(key)
                fileOfRow.append(fileIndex)
                encode(.crimeType, crime)
                encode(.force, force.map { FieldParsing.trimmed(scanner.field($0)) })
                let boroughCode = encode(.borough, lsoa.map { FieldParsing.trimmed(scanner.field($0)) })
                builder.dimensions[Dimension.bcu.rawValue].append(bcu(forBorough: boroughCode))
                try keepWithinLimits(scanner)
            }
            blankLines += scanner.blankLines
            finishFile(file, .street, scanner, rows: fileRows)
        }

        mutating func readOutcomes(_ file: PoliceUKFile, _ scanner: CSVScanner) throws {
            let at = positions(scanner)
            let fieldCount = scanner.fieldCount
            let id = at["crime id"]!, month = at["month"]!, category = at["outcome type"]!
            var fileRows = 0
            while try scanner.next() {
                account.eventRows += 1
                fileRows += 1
                if let problem = PoliceUKReader.structuralProblem(scanner, expecting: fieldCount) {
                    account.eventsRejected += 1
                    try reject(file, scanner, problem)
                    continue
                }
                let crimeId = FieldParsing.trimmed(scanner.field(id))
                let monthText = FieldParsing.trimmed(scanner.field(month))
                let when = PoliceUKReader.month(monthText)
                guard !crimeId.isEmpty, let when else {
                    account.eventsRejected += 1
                    let reason = crimeId.isEmpty ? "missing Crime ID"
                        : monthText.isEmpty ? "missing Month" : "Month \(quoted(monthText)) is not a month (expected YYYY-MM)"
                    try reject(file, scanner, reason)
                    continue
                }
                guard let row = builder.row(ofCase: crimeId) else {
                    account.eventsOutside += 1
                    continue
                }
                let text = FieldParsing.trimmed(scanner.field(category))
                if text.isEmpty {
                    account.eventsBlank += 1
                    continue
                }
                guard let event = categoryEvent(file, scanner.line, text) else {
                    account.eventsUnknown += 1
                    continue
                }
                account.eventsApplied += 1
                let reported = builder.reportedDay(ofRow: row)
                if when.days < reported {
                    log.warn(ImportWarning(line: scanner.line, field: "Month",
                                           reason: "outcome dated \(DatePrecision.month.text(when)), before its crime's month "
                                               + "\(DatePrecision.month.text(DayNumber(days: reported)))", file: file.name))
                }
                var journey = builder.journey(ofRow: row)
                PoliceUKReader.apply(event, day: when.days, key: monthKey(when), to: &journey, decidedBy: &deciderKey[row])
                builder.revise(row: row, journey: journey)
                if account.eventRows % 65_536 == 0 { reportProgress(scanner) }
            }
            blankLines += scanner.blankLines
            finishFile(file, .outcomes, scanner, rows: fileRows)
        }

        private func monthKey(_ day: DayNumber) -> Int32 {
            let (year, month, _) = day.components
            return Int32(year * 12 + month - 1) * 2
        }

        /// The category `text` names; an unknown one is warned about (file, line, text) and gives nil.
        private mutating func categoryEvent(_ file: PoliceUKFile, _ line: Int, _ text: UnsafeRawBufferPointer) -> PoliceUKOutcome? {
            guard !text.isEmpty else { return nil }
            let code: UInt8
            if let id = categorySpellings.find(text) {
                code = categoryOfSpelling[id]
            } else {
                code = PoliceUKOutcome(text: DisplayText.decode(text).text).map { UInt8($0.rawValue) } ?? UInt8.max
                _ = categorySpellings.insert(text)
                categoryOfSpelling.append(code)
            }
            guard code != UInt8.max else {
                log.warn(ImportWarning(line: line, field: "outcome category",
                                       reason: "\(quoted(text)) is not a police.uk outcome category this version knows; ignored",
                                       file: file.name))
                return nil
            }
            return PoliceUKOutcome(rawValue: Int(code))
        }

        @discardableResult
        private mutating func encode(_ dimension: Dimension, _ bytes: UnsafeRawBufferPointer?) -> UInt32 {
            let index = dimension.rawValue
            let code = bytes.map { builder.dimensions[index].encode($0).code } ?? builder.dimensions[index].unknownCode
            builder.dimensions[index].append(code)
            return code
        }

        private mutating func bcu(forBorough code: UInt32) -> UInt32 {
            let index = Int(code)
            while derivedBcu.count <= index { derivedBcu.append(UInt32.max) }
            if derivedBcu[index] == UInt32.max {
                let name = builder.dimensions[Dimension.borough.rawValue].label(of: code)
                let label = LondonGeography.borough(named: name)?.bcu ?? CategoryEncoder.unknown
                derivedBcu[index] = builder.dimensions[Dimension.bcu.rawValue].code(forLabel: label)
            }
            return derivedBcu[index]
        }

        private mutating func reject(_ file: PoliceUKFile, _ scanner: CSVScanner, _ reason: String) throws {
            log.reject(Rejection(line: scanner.line, reason: reason, file: file.name))
            guard let sink else { return }
            var record = Array(scanner.rawRecord)
            while let last = record.last, last == 0x0A || last == 0x0D { record.removeLast() }
            let row = [file.name, String(scanner.line), reason].map(PoliceUKReader.csvField).joined(separator: ",") + ","
            try (Array(row.utf8) + PoliceUKReader.quotedBytes(record) + [0x0A]).withUnsafeBytes { try sink.reject($0) }
        }

        private mutating func keepWithinLimits(_ scanner: CSVScanner) throws {
            if !reserved, rows == 4096, bytesBefore + scanner.bytesConsumed > 0 {
                // Room for as many crimes as the street files likely hold, judged by the rows read so far.
                reserved = true
                let perRow = Double(bytesBefore + scanner.bytesConsumed) / Double(rows)
                let expected = min(Double(streetBytes) / perRow * 1.02, Double(Int32.max))
                builder.reserve(rows: Int(expected))
                deciderKey.reserveCapacity(Int(expected))
                fileOfRow.reserveCapacity(Int(expected))
            }
            if rows % 65_536 == 0 {
                let held = builder.footprint + deciderKey.capacity * 4 + fileOfRow.capacity * 2
                if held > limits.maxMemory {
                    throw ImportError.memoryLimit(file: fileNames.last ?? "police.uk data", rows: rows, bytes: held, limit: limits.maxMemory)
                }
                reportProgress(scanner)
            }
        }

        mutating func reportProgress(_ scanner: CSVScanner? = nil, force: Bool = false) {
            guard let progress else { return }
            let bytes = bytesBefore + (scanner?.bytesRead ?? 0)
            progress(ImportProgress(bytesRead: bytes, totalBytes: totalBytes, rows: rows + account.eventRows))
        }

        private mutating func finishFile(_ file: PoliceUKFile, _ kind: PoliceUKFileKind, _ scanner: CSVScanner, rows: Int) {
            account.read.append(.init(name: file.name, kind: kind.rawValue, rows: rows))
            manifest.append((file.name, scanner.sha256))
            bytesBefore += scanner.bytesRead
            reportProgress()
        }

        /// The import's result: the table, and the account of every row and file.
        func finish(sourceName: String) -> ImportResult {
            let table = builder.finish(availableStages: [.reported, .charged, .prosecuted, .convicted], datePrecision: .month,
                                       sourceFiles: fileNames, sourceFileOfRow: fileOfRow,
                                       unrecordedReason: PoliceUKReader.noReferral)
            let manifestText = manifest.sorted { $0.name < $1.name }.map { "\($0.sha256)  \($0.name)\n" }.joined()
            var report = ImportReport(
                file: sourceName, rows: rows, accepted: table.rowCount, rejections: log.rejections, warnings: log.warnings,
                rejected: streetRejected, warningCount: log.warningCount, droppedColumns: [], blankLines: blankLines,
                unavailableStages: [.referred], extraDimensions: ["force"],
                sourceSHA256: Hex.string(SHA256.hash(data: Array(manifestText.utf8))))
            report.skipped = skipped
            report.skippedReason = "anti-social behaviour incidents (no Crime ID)"
            report.sourceFiles = account
            report.format = "police.uk"
            report.unrecordedReason = PoliceUKReader.noReferral
            return ImportResult(table: table, report: report)
        }

        private func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
            DisplayText.quoted(DisplayText.decode(bytes).text)
        }
    }

    /// Why police.uk data shows no referral stage.
    static let noReferral = "police.uk records no referral to the CPS"

    /// Folds one event into a case's journey (police-uk contract, section 5): the furthest stage
    /// of any event; each stage dated by the first event reaching it or beyond; open or closed
    /// by the last event (by `key`) at the furthest stage, conviction ending the journey.
    static func apply(_ event: PoliceUKOutcome, day: Int32, key: Int32, to journey: inout CaseJourney, decidedBy decider: inout Int32) {
        let stage = event.stage
        if stage >= .charged {
            for later in Stage.charged.rawValue...stage.rawValue {
                let index = later - 1
                if journey.laterStageDays[index] == CaseTable.noDate || day < journey.laterStageDays[index] {
                    journey.laterStageDays[index] = day
                }
            }
        }
        if stage > journey.furthest || (stage == journey.furthest && key >= decider) {
            journey.furthest = stage
            journey.outcome = event.caseOutcome
            decider = key
        }
    }

    /// The first day of a `YYYY-MM` month.
    static func month(_ bytes: UnsafeRawBufferPointer) -> DayNumber? {
        guard bytes.count == 7, bytes[4] == 0x2D else { return nil }
        var year = 0, month = 0
        for k in 0..<4 {
            let digit = Int(bytes[k]) - 0x30
            guard (0...9).contains(digit) else { return nil }
            year = year * 10 + digit
        }
        for k in 5..<7 {
            let digit = Int(bytes[k]) - 0x30
            guard (0...9).contains(digit) else { return nil }
            month = month * 10 + digit
        }
        guard (1900...2199).contains(year) else { return nil }
        return DayNumber(year: year, month: month, day: 1)
    }

    /// The borough of an LSOA name: the name without its final code word (`Camden 028B` → `Camden`),
    /// spelt as the London table spells it.
    static func borough(fromLSOAName name: String) -> String {
        var words = name.split(separator: " ")
        if words.count > 1, words.last!.contains(where: \.isNumber) { words.removeLast() }
        let borough = words.joined(separator: " ")
        return LondonGeography.borough(named: borough)?.name ?? borough
    }

    /// Why a record cannot be read at all, if it cannot.
    static func structuralProblem(_ scanner: CSVScanner, expecting fieldCount: Int) -> String? {
        // A stray quote may have joined rows: its line alone is the record, the others are read on.
        if scanner.problem != nil || scanner.fieldCount != fieldCount { _ = scanner.resynchronise(expecting: fieldCount) }
        switch scanner.problem {
        case .unterminatedQuote?: return "unterminated quote: a quoted field is still open at the end of the file"
        case .textAfterClosingQuote(let field)?: return "malformed quoting in field \(field + 1): text follows the closing quote"
        case .tooLong?: return "the record runs past \(ImportLimits.maxRecordBytes >> 20) MiB, the most one may take"
        case .strayQuote(let closing)?: return "a quote opened on this line is closed only on line \(closing)"
        case nil:
            return scanner.fieldCount == fieldCount ? nil : "has \(scanner.fieldCount) fields, the header has \(fieldCount)"
        }
    }

    /// A CSV field, quoted when it must be.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Bytes as one quoted CSV field, byte for byte inside the quotes (quotes doubled).
    static func quotedBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(bytes.count + 2)
        for byte in bytes {
            out.append(byte)
            if byte == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
        return out
    }
}
