import Foundation

/// What an event file held, beyond the events applied (mapping-and-events contract, section 2).
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
    /// `checkRow`, when given, is shown each row of a known case and may return a warning about it.
    func apply(path: String, to cases: inout CaseTableBuilder, police: [UInt8], court: [UInt8], log: inout ImportLog,
               sink: LabelledRejects?, limits: ImportLimits,
               checkRow: ((CSVScanner, UnsafeRawBufferPointer) -> ImportWarning?)? = nil) throws -> EventAccount {
        let scanner = CSVScanner(source: try FileByteSource(path: path))
        guard try scanner.next(), !scanner.isBinary else { throw ImportError.empty(file: path) }
        let names = (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ key: String, _ header: String) throws -> Int {
            guard let index = names.firstIndex(of: header.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw mapping.error("events", key, "\(key) = '\(DisplayText.sanitized(header))', but the event file \(path) has no such column")
            }
            return index
        }
        let caseColumn = try column("case_id", spec.caseId), eventColumn = try column("event", spec.event)
        let dateColumn = try column("date", spec.date)
        let fieldCount = scanner.fieldCount

        var account = EventAccount(file: path)
        let count = cases.rowCount
        // The latest outcome and court events so far: (day << 32 | row sequence), and their codes.
        var policeKey = [Int64](repeating: .min, count: count), courtKey = [Int64](repeating: .min, count: count)
        var policeEvent = [UInt8](repeating: 0, count: count), courtEvent = [UInt8](repeating: 0, count: count)
        var touched = [Bool](repeating: false, count: count)
        var days = [Int32](repeating: CaseTable.noDate, count: count * 5)
        var typeIndex: [String: Int] = [:]
        var meanings = InternTable()
        var meaningOf: [EventMeaning?] = []
        var sequence: Int64 = 0
        let dates = DateReader(formats: mapping.dateFormats)

        func reject(_ reason: String) throws {
            account.rejected += 1
            log.reject(Rejection(line: scanner.line, reason: reason, file: path))
            try sink?.reject(scanner.rawRecord, file: path, line: scanner.line, reason: reason)
        }
        while try scanner.next() {
            account.rows += 1
            sequence += 1
            if scanner.problem != nil || scanner.fieldCount != fieldCount { _ = scanner.resynchronise(expecting: fieldCount) }
            if let problem = RecordProblem.reason(scanner.problem, fields: scanner.fieldCount, expected: fieldCount, line: scanner.line) {
                try reject(problem)
                continue
            }
            let id = FieldParsing.trimmed(scanner.field(caseColumn))
            let dateText = FieldParsing.trimmed(scanner.field(dateColumn))
            guard !id.isEmpty, let day = dates.date(dateText) else {
                try reject(id.isEmpty ? "missing \(spec.caseId) (the case reference)"
                    : dateText.isEmpty ? "missing \(spec.date) (the event date)"
                    : "\(spec.date) \(DisplayText.quoted(DisplayText.decode(dateText).text)) is not a date")
                continue
            }
            let type = FieldParsing.trimmed(scanner.field(eventColumn))
            let meaning: EventMeaning?
            if let known = meanings.find(type) {
                meaning = meaningOf[known]
            } else {
                meaning = spec.meanings[ValueTranslation.fold(DisplayText.decode(type).text)]
                _ = meanings.insert(type)
                meaningOf.append(meaning)
            }
            guard let row = cases.row(ofCase: id) else {
                account.unknownCases += 1
                if account.unknownCaseLines.count < limits.listed { account.unknownCaseLines.append(scanner.line) }
                continue
            }
            if let checkRow, let warning = checkRow(scanner, id) { log.warn(warning) }
            guard let meaning else {
                let text = DisplayText.sanitized(DisplayText.decode(type).text)
                if let index = typeIndex[text] {
                    account.unmappedTypes[index].rows += 1
                } else {
                    typeIndex[text] = account.unmappedTypes.count
                    account.unmappedTypes.append((text, 1))
                }
                log.warn(ImportWarning(line: scanner.line, field: spec.event,
                                       reason: "event type \(DisplayText.quoted(text)) is not in [events.map]; ignored", file: path))
                continue
            }
            account.applied += 1
            touched[row] = true
            let key = Int64(day.days) << 32 | sequence
            switch meaning {
            case .stage(let stage):
                let slot = row * 5 + stage.rawValue
                if days[slot] == CaseTable.noDate || day.days < days[slot] { days[slot] = day.days }
            case .police(let outcome):
                if key >= policeKey[row] { (policeKey[row], policeEvent[row]) = (key, UInt8(outcome.code)) }
            case .court(let result):
                if key >= courtKey[row] { (courtKey[row], courtEvent[row]) = (key, UInt8(CourtOutcome.allCases.firstIndex(of: result)! + 1)) }
            }
        }
        for row in 0..<count where touched[row] {
            var journey = cases.journey(ofRow: row)
            var facts = JourneyFacts()
            for stage in [Stage.referred, .charged, .prosecuted, .convicted] {
                let index = stage.rawValue - 1
                let event = days[row * 5 + stage.rawValue]
                if event != CaseTable.noDate, journey.laterStageDays[index] == CaseTable.noDate || event < journey.laterStageDays[index] {
                    journey.laterStageDays[index] = event
                }
            }
            facts.hasReferredDate = journey.laterStageDays[0] != CaseTable.noDate
            facts.hasChargedDate = journey.laterStageDays[1] != CaseTable.noDate
            facts.hasProsecutedDate = journey.laterStageDays[2] != CaseTable.noDate
            facts.hasConvictedDate = journey.laterStageDays[3] != CaseTable.noDate
            let policeCode = policeEvent[row] != 0 ? policeEvent[row] : police[row]
            let courtCode = courtEvent[row] != 0 ? courtEvent[row] : court[row]
            facts.police = policeCode == 0 ? nil : PoliceOutcome(code: Int(policeCode))
            facts.court = courtCode == 0 ? nil : CourtOutcome.allCases[Int(courtCode) - 1]
            journey.furthest = Journey.furthestStage(facts)
            journey.outcome = Journey.outcome(facts)
            let latest = max(policeKey[row], courtKey[row])
            if latest != .min { journey.outcomeDay = Int32(truncatingIfNeeded: latest >> 32) }
            cases.revise(row: row, journey: journey)
            let reported = days[row * 5]
            if reported != CaseTable.noDate, reported < cases.reportedDay(ofRow: row) { cases.reviseReported(row: row, day: reported) }
        }
        return account
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
