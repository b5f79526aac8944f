import CMemoryHints
import Foundation

/// What an event file held, beyond the events applied (docs/contracts/mapping-and-events.md, section 2).
public struct EventAccount: Sendable {
    /// The event file's path.
    public let file: String
    /// Data rows read: applied + of unknown cases + of unmapped types + rejected.
    public var rows = 0
    /// Events applied to a case.
    public var applied = 0
    /// Events whose case is not in the case file.
    public var unknownCases = 0
    /// The lines of the first of those (every one is counted).
    public var unknownCaseLines: [Int] = []
    /// Event types the mapping does not give a meaning, with how many rows had each, in the order first seen.
    public var unmappedTypes: [(type: String, rows: Int)] = []
    /// Rows refused (listed with the import's rejections, naming this file).
    public var rejected = 0
}

/// Reads an event file onto cases already read from a case file: each stage dated by its
/// earliest event (the case file's own date taking part), the latest `outcome:N` and `court:`
/// events (ties: the later row) giving the police and court outcomes and `outcome_date`, and the
/// contract's stage rules applied again to the result.
struct EventFileReader {
    let spec: EventLogSpec
    let mapping: Mapping
    /// About how many bytes each range read on its own thread holds.
    var pieceBytes: Int64 = 8 << 20

    /// Meanings that can put a case at each stage, so a case file without a stage's column can
    /// still record it.
    var recordedStages: Set<Stage> {
        var stages = Set<Stage>()
        for meaning in spec.meanings.values {
            switch meaning {
            case .stage(let stage): stages.insert(stage)
            case .police(let outcome) where outcome == .chargedOrSummonsed: stages.insert(.charged)
            case .court(.convicted): stages.formUnion([.prosecuted, .convicted])
            case .court(.acquitted): stages.insert(.prosecuted)
            case .police, .court: break
            }
        }
        return stages
    }

    /// Applies the events in `path` to `cases`, whose file outcomes are `police` and `court`
    /// (as `CanonicalRowReader` keeps them), logging problems to `log` and refused rows to `sink`.
    /// The file is cut into ranges of whole records, parsed side by side, and applied in file
    /// order, so the result is that of reading it row by row. `checkRow`, when given, is shown
    /// each row of a known case and may return a warning about it.
    func apply(path: String, to cases: inout CaseTableBuilder, police: [UInt8], court: [UInt8], log: inout ImportLog,
               sink: LabelledRejects?, limits: ImportLimits,
               checkRow: (@Sendable (CSVScanner, UnsafeRawBufferPointer) -> ImportWarning?)? = nil) throws -> EventAccount {
        let file = try FileByteSource(path: path)
        let header = CSVScanner(source: file)
        guard try header.next(), !header.isBinary else { throw ImportError.empty(file: path) }
        let names = (0..<header.fieldCount).map { DisplayText.decode(header.field($0)).text.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ key: String, _ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw mapping.error("events", key, "\(key) = '\(DisplayText.sanitized(name))', but the event file \(path) has no such column")
            }
            return index
        }
        let parser = EventRowParser(
            caseColumn: try column("case_id", spec.caseId), eventColumn: try column("event", spec.event),
            dateColumn: try column("date", spec.date), fieldCount: header.fieldCount, spec: spec,
            dates: DateReader(formats: mapping.dateFormats), cases: cases.lookup, listed: limits.listed, checkRow: checkRow)
        let pieces = try RecordRanges(path: path, start: header.bytesConsumed, startLine: header.line + 1, pieceBytes: pieceBytes)

        var account = EventAccount(file: path)
        let tally = EventTally(cases: cases.rowCount)
        var typeIndex: [String: Int] = [:]
        try orderedParallelMap(count: pieces.ranges.count, { index in
            try parser.parse(path: path, range: pieces.ranges[index], firstLine: pieces.firstLines[index])
        }) { _, piece in
            for problem in piece.problems {
                if let field = problem.warningField {
                    log.warn(ImportWarning(line: problem.line, field: field, reason: problem.reason, file: path))
                } else {
                    log.reject(Rejection(line: problem.line, reason: problem.reason, file: path))
                    try problem.record.withUnsafeBytes { try sink?.reject($0, file: path, line: problem.line, reason: problem.reason) }
                }
            }
            account.rows += piece.rows
            account.rejected += piece.rejected
            account.unknownCases += piece.unknownCases
            account.unknownCaseLines += piece.unknownCaseLines.prefix(max(0, limits.listed - account.unknownCaseLines.count))
            for (type, rows) in piece.unmappedTypes {
                if let index = typeIndex[type] {
                    account.unmappedTypes[index].rows += rows
                } else {
                    typeIndex[type] = account.unmappedTypes.count
                    account.unmappedTypes.append((type, rows))
                }
            }
            account.applied += piece.caseRows.count
            tally.add(piece)
        }
        try tally.revise(&cases, police: police, court: court)
        // Pieces are read apart from the header: the file must be the one the header was read from.
        try file.requireUnchanged(path)
        return account
    }
}

/// What the events of a file say of each case so far, kept beside the case table until every
/// event is in: each stage's earliest event date, and the latest outcome and court events
/// (by day, then line: the later row wins a tie). Every rule is a minimum or a maximum, so the
/// result does not depend on the order pieces are added in. Held in plain memory, as the events
/// of millions of cases pass through it; added to on one thread, read on several only once
/// every event is in.
final class EventTally: @unchecked Sendable {
    /// Cases tallied.
    let count: Int
    /// Each case's five stage dates, reported first (`Int32.max` when no event dates it).
    private let days: UnsafeMutablePointer<Int32>
    /// The latest outcome and court events so far, as day << 32 | line (`Int64.min` for none).
    private let policeKey: UnsafeMutablePointer<Int64>, courtKey: UnsafeMutablePointer<Int64>
    /// Their codes: a Home Office outcome code, a court result's index + 1 (0 for none).
    private let policeCode: UnsafeMutablePointer<UInt8>, courtCode: UnsafeMutablePointer<UInt8>

    /// An empty tally of `cases` cases.
    init(cases: Int) {
        count = cases
        days = .allocate(capacity: cases * 5)
        days.initialize(repeating: .max, count: cases * 5)
        policeKey = .allocate(capacity: cases)
        policeKey.initialize(repeating: .min, count: cases)
        courtKey = .allocate(capacity: cases)
        courtKey.initialize(repeating: .min, count: cases)
        policeCode = .allocate(capacity: cases)
        policeCode.initialize(repeating: 0, count: cases)
        courtCode = .allocate(capacity: cases)
        courtCode.initialize(repeating: 0, count: cases)
    }

    deinit {
        for pointer in [UnsafeMutableRawPointer(days), UnsafeMutableRawPointer(policeKey), UnsafeMutableRawPointer(courtKey),
                        UnsafeMutableRawPointer(policeCode), UnsafeMutableRawPointer(courtCode)] {
            pointer.deallocate()
        }
    }

    /// Adds the events of one piece (`EventRowParser.code` gives their meanings). The dates of
    /// the case of the event 8 ahead are fetched meanwhile: in an event log in no particular
    /// order, each event's case is somewhere else in memory.
    func add(_ piece: EventRowParser.Piece) {
        piece.caseRows.withUnsafeBufferPointer { rows in
            piece.days.withUnsafeBufferPointer { eventDays in
                piece.meanings.withUnsafeBufferPointer { codes in
                    piece.lines.withUnsafeBufferPointer { lines in
                        for index in 0..<rows.count {
                            let row = Int(rows[index]), day = eventDays[index], code = codes[index]
                            precondition(row >= 0 && row < count)
                            if index + 8 < rows.count { cmh_prefetch_for_write(days + Int(rows[index + 8]) &* 5) }
                            let key = Int64(day) << 32 | Int64(lines[index])
                            switch code {
                            case 0..<EventRowParser.firstPoliceCode:
                                let slot = row &* 5 &+ Int(code)
                                days[slot] = min(days[slot], day)
                            case EventRowParser.firstPoliceCode..<EventRowParser.firstCourtCode:
                                if key >= policeKey[row] { (policeKey[row], policeCode[row]) = (key, code - EventRowParser.firstPoliceCode) }
                            default:
                                if key >= courtKey[row] { (courtKey[row], courtCode[row]) = (key, code - EventRowParser.firstCourtCode + 1) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Puts what the events say into each case they touched: a stage date where the events date
    /// it earlier than the case file (or the file has none), the latest outcome and court events
    /// over the file's `police` and `court` outcomes, the contract's stage rules applied again to
    /// the result, and `outcome_date` from the latest outcome or court event.
    func revise(_ cases: inout CaseTableBuilder, police: [UInt8], court: [UInt8]) throws {
        try cases.reviseEveryRow { row, journey, reported in self.revised(row: row, journey, reported: reported, police: police, court: court) }
    }

    /// Case `row`'s journey and report date as its events leave them; nil when no event was of it.
    private func revised(row: Int, _ held: CaseJourney, reported: Int32, police: [UInt8], court: [UInt8]) -> (journey: CaseJourney, reported: Int32)? {
        let dates = days + row * 5
        guard policeKey[row] != .min || courtKey[row] != .min || (0..<5).contains(where: { dates[$0] != .max }) else { return nil }
        var journey = held
        for index in 0..<4 {
            let event = dates[1 + index]
            if event != .max, journey.laterStageDays[index] == CaseTable.noDate || event < journey.laterStageDays[index] {
                journey.laterStageDays[index] = event
            }
        }
        var facts = JourneyFacts()
        facts.hasReferredDate = journey.laterStageDays[0] != CaseTable.noDate
        facts.hasChargedDate = journey.laterStageDays[1] != CaseTable.noDate
        facts.hasProsecutedDate = journey.laterStageDays[2] != CaseTable.noDate
        facts.hasConvictedDate = journey.laterStageDays[3] != CaseTable.noDate
        let policeOutcome = policeCode[row] != 0 ? policeCode[row] : police[row]
        let courtOutcome = courtCode[row] != 0 ? courtCode[row] : court[row]
        facts.police = policeOutcome == 0 ? nil : PoliceOutcome(code: Int(policeOutcome))
        facts.court = courtOutcome == 0 ? nil : CourtOutcome.allCases[Int(courtOutcome) - 1]
        journey.furthest = Journey.furthestStage(facts)
        journey.outcome = Journey.outcome(facts)
        let latest = max(policeKey[row], courtKey[row])
        if latest != .min { journey.outcomeDay = Int32(truncatingIfNeeded: latest >> 32) }
        return (journey, dates[0] != .max ? min(dates[0], reported) : reported)
    }
}

/// Parses one range of an event file on a worker thread: each row checked, its case found
/// among the cases read (a snapshot that does not change while events are read), its event
/// type given its meaning.
struct EventRowParser: @unchecked Sendable {
    let caseColumn: Int, eventColumn: Int, dateColumn: Int, fieldCount: Int
    let spec: EventLogSpec
    let dates: DateReader
    let cases: CaseLookup
    let listed: Int
    let checkRow: (@Sendable (CSVScanner, UnsafeRawBufferPointer) -> ImportWarning?)?

    /// What one range held.
    struct Piece {
        var rows = 0, rejected = 0, unknownCases = 0
        var unknownCaseLines: [Int] = []
        var unmappedTypes: [(type: String, rows: Int)] = []
        /// Each applied event: its case's row, day, meaning code and line.
        var caseRows: [Int32] = [], days: [Int32] = [], meanings: [UInt8] = [], lines: [UInt32] = []
        var problems: [ParsedFile.Problem] = []
    }

    /// The first code of a police outcome, and of a court result (`code(_:)`).
    static let firstPoliceCode: UInt8 = 10, firstCourtCode: UInt8 = 40

    /// A meaning as one byte: a stage's raw value, 10 + a Home Office code, 40 + a court result's index.
    static func code(_ meaning: EventMeaning) -> UInt8 {
        switch meaning {
        case .stage(let stage): UInt8(stage.rawValue)
        case .police(let outcome): firstPoliceCode + UInt8(outcome.code)
        case .court(let result): firstCourtCode + UInt8(CourtOutcome.allCases.firstIndex(of: result)!)
        }
    }

    /// Reads one range: each row checked, refused if it cannot be read, its case found and its
    /// event kept (`read`); then the cases not found at once looked for together (`finish`).
    func parse(path: String, range: Range<Int64>, firstLine: Int) throws -> Piece {
        var piece = Piece(), pending = PendingCases()
        try read(path: path, range: range, firstLine: firstLine, into: &piece, pending: &pending)
        finish(&piece, pending: pending)
        return piece
    }

    /// The events of the range, each with its case's row, or `PendingCases.unresolved` when the
    /// case is not the one of the event before, the case found last or the next one in the case
    /// file: those references are kept aside, to be looked for together.
    private func read(path: String, range: Range<Int64>, firstLine: Int, into piece: inout Piece, pending: inout PendingCases) throws {
        let scanner = CSVScanner(source: try FileRangeByteSource(path: path, range: range), firstLine: firstLine, fingerprinting: false)
        var types = EventTypeReader(spec)
        var lastRow: Int?
        func reject(_ reason: String) {
            piece.rejected += 1
            piece.problems.append(.rejection(scanner, reason))
        }
        while try scanner.next() {
            piece.rows += 1
            if let problem = scanner.structuralProblem(expecting: fieldCount) {
                reject(problem)
                continue
            }
            let id = FieldParsing.trimmed(scanner.field(caseColumn))
            let dateText = FieldParsing.trimmed(scanner.field(dateColumn))
            guard !id.isEmpty, let day = dates.date(dateText) else {
                reject(id.isEmpty ? "missing \(spec.caseId) (the case reference)"
                    : dateText.isEmpty ? "missing \(spec.date) (the event date)"
                    : "\(spec.date) \(DisplayText.quoted(DisplayText.decode(dateText).text)) is not a date")
                continue
            }
            let type = FieldParsing.trimmed(scanner.field(eventColumn))
            let (typeId, meaning) = types.read(type)
            if typeId == pending.typeTexts.count { pending.typeTexts.append(DisplayText.sanitized(DisplayText.decode(type).text)) }
            if meaning == nil { pending.unmapped.append((piece.caseRows.count, typeId)) }
            if let checkRow, let warning = checkRow(scanner, id) { pending.warnings.append((piece.caseRows.count, warning)) }
            // The case: the one of the event before, if still pending; the one found last or the
            // next in the case file; looked for now until one has been found; else pending.
            let row: Int32
            if pending.isLast(id) {
                row = PendingCases.sameAsBefore
            } else if let last = lastRow, cases.ids.matches(last, id) {
                row = Int32(last)
            } else if let last = lastRow, last + 1 < cases.ids.count, cases.ids.matches(last + 1, id) {
                lastRow = last + 1
                row = Int32(last + 1)
            } else if lastRow == nil {
                lastRow = cases.row(id)
                row = lastRow.map(Int32.init) ?? PendingCases.unknown
            } else {
                pending.add(id)
                row = PendingCases.unresolved
            }
            if row >= 0 || row == PendingCases.unknown { pending.endRun() }
            piece.caseRows.append(row)
            piece.days.append(day.days)
            piece.meanings.append(meaning.map(EventRowParser.code) ?? 0)
            piece.lines.append(UInt32(clamping: scanner.line))
        }
    }

    /// Gives each pending event its case's row, then drops, in file order, the events of cases
    /// not read (counted with their lines) and those of types without a meaning (warned about
    /// and counted per type); a row's warning is kept only when its case was read.
    private func finish(_ piece: inout Piece, pending: PendingCases) {
        let found = pending.rows(in: cases)
        var nextFound = 0, nextUnmapped = 0, nextWarning = 0, kept = 0
        var unmappedIndex: [Int: Int] = [:]
        var row = PendingCases.unknown
        for event in piece.caseRows.indices {
            switch piece.caseRows[event] {
            case PendingCases.unresolved:
                row = found[nextFound]
                nextFound += 1
            case PendingCases.sameAsBefore: break
            default: row = piece.caseRows[event]
            }
            let line = Int(piece.lines[event])
            var unmappedType: Int?
            if nextUnmapped < pending.unmapped.count, pending.unmapped[nextUnmapped].event == event {
                unmappedType = pending.unmapped[nextUnmapped].type
                nextUnmapped += 1
            }
            var warning: ImportWarning?
            if nextWarning < pending.warnings.count, pending.warnings[nextWarning].event == event {
                warning = pending.warnings[nextWarning].warning
                nextWarning += 1
            }
            guard row != PendingCases.unknown else {
                piece.unknownCases += 1
                if piece.unknownCaseLines.count < listed { piece.unknownCaseLines.append(line) }
                continue
            }
            if let warning {
                piece.problems.append(ParsedFile.Problem(line: warning.line, reason: warning.reason, warningField: warning.field, record: []))
            }
            if let type = unmappedType {
                let text = pending.typeTexts[type]
                if let index = unmappedIndex[type] {
                    piece.unmappedTypes[index].rows += 1
                } else {
                    unmappedIndex[type] = piece.unmappedTypes.count
                    piece.unmappedTypes.append((text, 1))
                }
                piece.problems.append(ParsedFile.Problem(line: line, reason: "event type \(DisplayText.quoted(text)) is not in [events.map]; ignored",
                                                         warningField: spec.event, record: []))
                continue
            }
            piece.caseRows[kept] = row
            piece.days[kept] = piece.days[event]
            piece.meanings[kept] = piece.meanings[event]
            piece.lines[kept] = piece.lines[event]
            kept += 1
        }
        piece.caseRows.removeLast(piece.caseRows.count - kept)
        piece.days.removeLast(piece.days.count - kept)
        piece.meanings.removeLast(piece.meanings.count - kept)
        piece.lines.removeLast(piece.lines.count - kept)
    }
}

/// The references of a range's events whose cases were not found as the rows were read (those
/// of an event log in no particular order), looked for together afterwards: the hash-table
/// slots of the reference 16 ahead, and the stored reference of the one 8 ahead, are fetched
/// while one is looked for, as they are mostly out of cache.
struct PendingCases {
    /// An event's case row while it waits to be looked for.
    static let unresolved: Int32 = -1
    /// An event of the same case as the event before it.
    static let sameAsBefore: Int32 = -2
    /// An event of a case that is not in the case file.
    static let unknown: Int32 = -3

    private var references: [UInt8] = []
    /// Where each reference ends in `references`, after a leading 0.
    private var ends: [Int32] = [0]
    /// Whether the event before was pending (or of the same case as one that was).
    private var inRun = false
    /// Each type's spelling as shown, numbered as the range's `EventTypeReader` met them.
    var typeTexts: [String] = []
    /// Events whose type has no meaning, by event, in order.
    var unmapped: [(event: Int, type: Int)] = []
    /// Warnings about rows (`EventRowParser.checkRow`), by event, in order.
    var warnings: [(event: Int, warning: ImportWarning)] = []

    /// References kept.
    var count: Int { ends.count - 1 }

    /// Whether `id` is the reference of a pending event just before.
    func isLast(_ id: UnsafeRawBufferPointer) -> Bool {
        guard inRun else { return false }
        let start = Int(ends[ends.count - 2]), end = Int(ends[ends.count - 1])
        return end - start == id.count && references.withUnsafeBytes { memcmp($0.baseAddress! + start, id.baseAddress!, id.count) == 0 }
    }

    /// Keeps the reference of a pending event.
    mutating func add(_ id: UnsafeRawBufferPointer) {
        references.append(contentsOf: id)
        ends.append(Int32(references.count))
        inRun = true
    }

    /// Marks that the event just read was of a case found at once.
    mutating func endRun() { inRun = false }

    /// The row of each pending reference's case in `cases`, or `unknown`.
    func rows(in cases: CaseLookup) -> [Int32] {
        let hashes = (0..<count).map { index in withReference(index) { InternTable.hash($0) } }
        return (0..<count).map { index in
            if index + 16 < count { cases.ids.prefetch(hashes[index + 16]) }
            if index + 8 < count { cases.ids.prefetchKey(hash: hashes[index + 8]) }
            return withReference(index) { cases.ids.find($0, hash: hashes[index]) }.map(Int32.init) ?? PendingCases.unknown
        }
    }

    private func withReference<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        references.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[Int(ends[index])..<Int(ends[index + 1])])) }
    }
}

/// Reads dates in a mapping's formats first, then in the built-in two.
struct DateReader {
    let formats: [DateFormat]

    /// The date trimmed `bytes` spell, if any.
    func date(_ bytes: UnsafeRawBufferPointer) -> DayNumber? {
        for format in formats {
            if let date = format.date(bytes) { return date }
        }
        return FieldParsing.date(bytes)
    }

    /// The date `text` (trimmed) spells, if any.
    func date(_ text: String) -> DayNumber? {
        Array(text.trimmingCharacters(in: .whitespaces).utf8).withUnsafeBytes { date($0) }
    }
}
