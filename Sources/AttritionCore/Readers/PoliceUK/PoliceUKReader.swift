import Crypto
import Foundation

/// Reads police.uk open data — street files and outcome files — into cases and journeys, exactly
/// as docs/contracts/police-uk.md sets out: crimes from the street files, then every outcome event
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

    /// The dimensions police.uk data gives (docs/contracts/police-uk.md, section 4), in the table's order.
    private enum Dimension: Int { case crimeType, force, borough, bcu }

    /// Reads `files` (listed by `PoliceUKFiles`): every file parsed side by side on worker
    /// threads, its rows added to the table in file order, so the result is exactly that of
    /// reading the files one by one — street files first, then outcome files.
    public func read(_ files: [PoliceUKFile]) throws -> ImportResult {
        let named = files.filter { $0.name.lowercased().hasSuffix("street.csv") }.reduce(0) { $0 + $1.size }
        let total = files.reduce(0) { $0 + $1.size }
        // Files parsed ahead of the one being added are held: as many as the memory limit allows,
        // and what they may hold counts against it with the cases.
        let largest = files.map(\.size).max() ?? 0
        let window = limits.filesInFlight(largest: largest, workers: OrderedParallelism.workers)
        var state = ReadState(limits: limits, sink: try rejectSink.map(LabelledRejects.init), progress: progress, totalBytes: total,
                              streetBytes: named > 0 ? named : total * 3 / 5,
                              readAhead: (window + 1) * limits.heldWhileRead(largest))
        var outcomeFiles: [PoliceUKFile] = []
        let keepingRecords = rejectSink != nil
        let workers = min(OrderedParallelism.workers, window)
        try orderedParallelMap(count: files.count, workers: workers, window: window,
                               { try PoliceUKParsing.parse(files[$0], crimes: nil, keepingRecords: keepingRecords) }) { index, parsed in
            switch parsed.content {
            case .street(let rows): try state.addStreet(files[index], parsed, rows)
            case .outcomesHeader: outcomeFiles.append(files[index])
            case .passedOver(let reason): state.account.passedOver.append(.init(name: files[index].name, reason: reason))
            case .outcomes: break
            }
        }
        guard !state.fileNames.isEmpty else {
            let looked = files.count == 1 ? "" : " (\(files.count) files looked at)"
            let reason = outcomeFiles.isEmpty
                ? "no police.uk street file in it\(looked): a street file's header has Crime ID, Month, Crime type and Last outcome category"
                : "it has outcome files but no street file\(looked); outcomes name crimes, the street files hold them: give the folder or archive with both"
            throw ImportError.unreadable(file: sourceName, reason: reason)
        }
        let crimes = state.builder.lookup, outcomes = outcomeFiles
        try orderedParallelMap(count: outcomes.count, workers: workers, window: window,
                               { try PoliceUKParsing.parse(outcomes[$0], crimes: crimes, keepingRecords: keepingRecords) }) { index, parsed in
            if case .outcomes(let events) = parsed.content { try state.addOutcomes(outcomes[index], parsed, events) }
        }
        state.reportProgress()
        return state.finish(sourceName: sourceName)
    }

    /// Everything one read accumulates, added to in file order on the calling thread.
    private struct ReadState {
        let limits: ImportLimits
        let sink: LabelledRejects?
        let progress: ((ImportProgress) -> Void)?
        let totalBytes: Int64
        /// Bytes the street files likely hold (by their names), to size the columns once.
        let streetBytes: Int64
        /// Bytes the files being read (and the one being added) may hold besides the cases.
        let readAhead: Int
        var builder: CaseTableBuilder
        var log: ImportLog
        var account = SourceFilesAccount(format: "police.uk")
        var rows = 0, skipped = 0, streetRejected = 0, blankLines = 0
        /// Index into `fileNames` of each case's street file.
        var fileOfRow = PackedColumn()
        var fileNames: [String] = []
        /// Each case's deciding event: month × 2, plus 1 for the street snapshot (which comes after a month's outcome rows).
        var deciderKey: [Int32] = []
        /// `sha256  name` of each file read, for the source's fingerprint.
        var manifest: [(name: String, sha256: String)] = []
        var bytesRead: Int64 = 0
        var reserved = false

        init(limits: ImportLimits, sink: LabelledRejects?, progress: ((ImportProgress) -> Void)?, totalBytes: Int64, streetBytes: Int64,
             readAhead: Int) {
            self.limits = limits
            self.streetBytes = streetBytes
            self.readAhead = readAhead
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

        /// Adds a street file's crimes: duplicates of a Crime ID read before are rejected here,
        /// in file order; each problem is logged in line order among them.
        mutating func addStreet(_ file: PoliceUKFile, _ parsed: ParsedFile, _ street: StreetRows) throws {
            let fileIndex = UInt16(clamping: fileNames.count)
            // Names for messages and case lists (an archive entry's name is anyone's): sanitised once here.
            fileNames.append(DisplayText.sanitized(file.name))
            reserve(afterAdding: parsed)
            // Each file-local spelling's code in the table, worked out once per file.
            var global: [[UInt32]] = street.spellings.map { Array(repeating: UInt32.max, count: $0.count) }
            var problems = parsed.problems[...]
            for index in 0..<street.lines.count {
                let line = Int(street.lines[index])
                while let problem = problems.first, problem.line < line {
                    try log(file, problem)
                    problems.removeFirst()
                }
                let duplicate = street.ids.withString(index) { id in builder.claim(caseId: id).map { ($0, builder.row(ofCase: id)!) } }
                if let (firstLine, row) = duplicate {
                    streetRejected += 1
                    let id = street.ids.withString(index) { DisplayText.quoted(DisplayText.decode($0).text) }
                    let record = street.records.map { records in records.withString(index) { Array($0) } } ?? []
                    try log(file, ParsedFile.Problem(
                        line: line, reason: "duplicate Crime ID \(id) (first seen in \(fileNames[Int(fileOfRow[row])]), line \(firstLine))",
                        warningField: nil, record: record))
                    continue
                }
                var journey = CaseJourney()
                var key = Int32.min
                if street.categories[index] != StreetRows.noCategory, let event = PoliceUKOutcome(rawValue: Int(street.categories[index])) {
                    let month = street.months[index]
                    PoliceUKReader.apply(event, day: month, key: PoliceUKReader.monthKey(month) + 1, to: &journey, decidedBy: &key)
                }
                builder.append(line: line, reported: street.months[index], journey: journey)
                deciderKey.append(key)
                fileOfRow.append(UInt32(fileIndex))
                for dimension in 0..<3 {
                    let local = Int(street.codes[dimension][index])
                    if global[dimension][local] == UInt32.max {
                        global[dimension][local] = street.spellings[dimension].spelling(local).withUnsafeBytes {
                            builder.dimensions[dimension].encode($0).code
                        }
                    }
                    builder.dimensions[dimension].append(global[dimension][local])
                }
                let borough = global[Dimension.borough.rawValue][Int(street.codes[2][index])]
                let bcu = builder.derivedBCU(forBorough: borough, boroughs: Dimension.borough.rawValue, bcus: Dimension.bcu.rawValue)
                builder.dimensions[Dimension.bcu.rawValue].append(bcu)
            }
            for problem in problems { try log(file, problem) }
            rows += parsed.rows
            skipped += street.skipped
            streetRejected += parsed.problems.filter { $0.warningField == nil }.count
            try finishFile(file, .street, parsed)
        }

        /// Applies an outcome file's events to their crimes, in file order.
        mutating func addOutcomes(_ file: PoliceUKFile, _ parsed: ParsedFile, _ events: OutcomeEvents) throws {
            for problem in parsed.problems { try log(file, problem) }
            account.eventRows += parsed.rows
            account.eventsApplied += events.caseRows.count
            account.eventsOutside += events.outside
            account.eventsBlank += events.blank
            account.eventsUnknown += events.unknown
            account.eventsRejected += events.rejected
            for index in 0..<events.caseRows.count {
                let row = Int(events.caseRows[index])
                guard let event = PoliceUKOutcome(rawValue: Int(events.categories[index])) else { continue }
                var journey = builder.journey(ofRow: row)
                let day = events.days[index]
                PoliceUKReader.apply(event, day: day, key: PoliceUKReader.monthKey(day), to: &journey, decidedBy: &deciderKey[row])
                builder.revise(row: row, journey: journey)
            }
            try finishFile(file, .outcomes, parsed)
        }

        private mutating func log(_ file: PoliceUKFile, _ problem: ParsedFile.Problem) throws {
            guard problem.warningField == nil else {
                log.warn(ImportWarning(line: problem.line, field: problem.warningField!, reason: problem.reason, file: file.name))
                return
            }
            log.reject(Rejection(line: problem.line, reason: problem.reason, file: file.name))
            try problem.record.withUnsafeBytes { try sink?.reject($0, file: file.name, line: problem.line, reason: problem.reason) }
        }

        /// Sizes the columns once, for as many crimes as the street files likely hold, judged by the first file's rows.
        private mutating func reserve(afterAdding parsed: ParsedFile) {
            guard !reserved, parsed.rows > 0, parsed.bytesRead > 0 else { return }
            reserved = true
            let perRow = Double(parsed.bytesRead) / Double(parsed.rows)
            let expected = Int(min(Double(streetBytes) / perRow * 1.02, Double(Int32.max)))
            builder.reserve(rows: expected)
            deciderKey.reserveCapacity(expected)
            fileOfRow.reserve(expected)
        }

        private mutating func finishFile(_ file: PoliceUKFile, _ kind: PoliceUKFileKind, _ parsed: ParsedFile) throws {
            account.read.append(.init(name: file.name, kind: kind.rawValue, rows: parsed.rows))
            manifest.append((file.name, parsed.sha256))
            blankLines += parsed.blankLines
            bytesRead += parsed.bytesRead
            let held = builder.footprint + deciderKey.capacity * 4 + fileOfRow.footprint + readAhead
            if held > limits.maxMemory {
                throw ImportError.memoryLimit(file: file.name, rows: rows, bytes: held, limit: limits.maxMemory)
            }
            reportProgress()
        }

        func reportProgress() {
            progress?(ImportProgress(bytesRead: bytesRead, totalBytes: totalBytes, rows: rows + account.eventRows))
        }

        /// The import's result: the table, and the account of every row and file.
        mutating func finish(sourceName: String) -> ImportResult {
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
    }

    /// A month's key for ordering events: months apart by 2, so the street snapshot (key + 1)
    /// comes after that month's outcome rows and before the next month's.
    static func monthKey(_ day: Int32) -> Int32 {
        let (year, month, _) = DayNumber(days: day).components
        return Int32(year * 12 + month - 1) * 2
    }

    /// Why police.uk data shows no referral stage.
    static let noReferral = "police.uk records no referral to the CPS"

    /// Folds one event into a case's journey (docs/contracts/police-uk.md, section 5): the furthest stage
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
            journey.outcomeDay = event.caseOutcome == .open ? CaseTable.noDate : day
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
}
