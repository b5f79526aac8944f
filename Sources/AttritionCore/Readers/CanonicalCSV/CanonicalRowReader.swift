/// Applies the canonical case file's field rules (contract sections 1 to 7) to one record at a
/// time and hands each case to the table builder.
struct CanonicalRowReader {
    /// The standard age bands of contract section 5, youngest first.
    static let ageBands = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    private static let expectedDate = "expected YYYY-MM-DD or DD/MM/YYYY"

    private let header: Header
    private let position: [Int]
    private let laterDateColumns: [(stage: Stage, column: KnownColumn)] =
        [(.referred, .referredDate), (.charged, .chargedDate), (.prosecuted, .prosecutedDate), (.convicted, .convictedDate)]

    /// The cases so far. Dimensions: the built-in categorical ones indexed by `Category`, then the extras.
    private var builder: CaseTableBuilder

    /// The built-in categorical columns, in contract order, with the order their groups are listed in
    /// (made once: every import starts from copies).
    private static let builtInDimensions: [(encoder: CategoryEncoder, order: LabelOrder)] = {
        [
            (CategoryEncoder(name: BuiltInDimension.crimeType.rawValue), .alphabetical),
            (CategoryEncoder(name: BuiltInDimension.bcu.rawValue), .alphabetical),
            (CategoryEncoder(name: BuiltInDimension.borough.rawValue) { LondonGeography.borough(named: $0)?.name ?? $0 }, .alphabetical),
            (CategoryEncoder(name: BuiltInDimension.victimSex.rawValue, presets: ["Female", "Male", "Other"]), .presetsFirst(count: 3)),
            (CategoryEncoder(name: BuiltInDimension.victimAgeBand.rawValue, presets: CanonicalRowReader.ageBands) { label in
                CanonicalRowReader.ageBands.first { CategoryKey.of($0) == CategoryKey.of(label) } ?? label
            }, .leadingNumber),
            (CategoryEncoder(name: BuiltInDimension.victimEthnicity.rawValue), .alphabetical),
            (CategoryEncoder(name: BuiltInDimension.victimDisability.rawValue, presets: ["Yes", "No"]), .presetsFirst(count: 2)),
            (CategoryEncoder(name: BuiltInDimension.victimRelationship.rawValue), .alphabetical),
            (CategoryEncoder(name: BuiltInDimension.repeatVictim.rawValue, presets: ["Yes", "No"]), .presetsFirst(count: 2)),
        ]
    }()

    /// The built-in categorical columns, in contract order.
    private enum Category: Int {
        case crimeType, bcu, borough, sex, ageBand, ethnicity, disability, relationship, repeatVictim
    }

    /// Index of the first extra column among the builder's dimensions.
    private static let firstExtra = 9
    private var outcomeSpellings = InternTable()
    private var outcomeOfSpelling: [UInt8] = []

    /// What the import may hold.
    let limits: ImportLimits
    /// The mapping's date formats, tried before the built-in two.
    private let dates: DateReader
    /// The mapping's value translations, by `KnownColumn.rawValue`.
    private let translations: [ValueTranslation?]

    /// Values of translated columns that the mapping does not list, by column, in the order first seen.
    var unmappedValues: [(column: String, values: [String])] {
        KnownColumn.allCases.compactMap { column in
            translations[column.rawValue].flatMap { $0.unmapped.isEmpty ? nil : (column.name, $0.unmapped) }
        }
    }
    /// Rows refused and warnings given.
    private(set) var log: ImportLog
    /// Whether each case's police and court outcomes are kept apart (`policeCodes`, `courtCodes`),
    /// for events read later to combine with.
    private let keepsOutcomes: Bool
    /// Each case's Home Office outcome code from the file (0: none), when `keepsOutcomes`.
    private var policeCodes: [UInt8] = []
    /// Each case's court result from the file (`CourtOutcome` index + 1; 0: none), when `keepsOutcomes`.
    private var courtCodes: [UInt8] = []

    /// Extra columns dropped for having too many distinct values, by index among the extras.
    private var dropped = Set<Int>()
    private var line = 0
    /// The fields of the record being added.
    private var fields = UnsafeBufferPointer<UnsafeRawBufferPointer>(start: nil, count: 0)

    /// A reader for records laid out as `header` says, within `limits`, with room reserved for
    /// about `expectedRows`.
    init(header: Header, limits: ImportLimits, expectedRows: Int, mapping: Mapping? = nil, keepingOutcomes: Bool = false) {
        self.header = header
        keepsOutcomes = keepingOutcomes
        self.limits = limits
        dates = DateReader(formats: mapping?.dateFormats ?? [])
        translations = KnownColumn.allCases.map { column in mapping?.values[column].map { ValueTranslation($0, column: column) } }
        log = ImportLog(listed: limits.listed)
        position = KnownColumn.allCases.map { header.positions[$0] ?? -1 }
        let extras = header.extras.map { (CategoryEncoder(name: $0.name), LabelOrder.alphabetical) }
        builder = CaseTableBuilder(dimensions: CanonicalRowReader.builtInDimensions + extras,
                                   periodsAfter: CanonicalRowReader.firstExtra, expectedRows: expectedRows)
    }

    /// Makes room for `rows` rows in every per-row column, so they need not grow by copying.
    mutating func reserve(rows expectedRows: Int) {
        builder.reserve(rows: expectedRows, except: Set(dropped.map { $0 + CanonicalRowReader.firstExtra }))
    }

    /// Records that the record on `line` was refused.
    mutating func reject(line: Int, reason: String) {
        log.reject(Rejection(line: line, reason: reason))
    }

    /// Records a warning.
    private mutating func note(_ warning: ImportWarning) { log.warn(warning) }

    /// Records how the file's characters were read, when not as UTF-8 by default.
    mutating func warnAboutEncoding(_ reason: String) { note(ImportWarning(line: 1, field: "encoding", reason: reason)) }

    /// Bytes the cases take so far (the columns' reserved room included).
    var footprint: Int { builder.footprint }

    /// Names of the extra columns dropped for too many distinct values.
    var droppedColumns: [String] { dropped.sorted().map { header.extras[$0].name } }

    /// Names of the extra columns kept as dimensions.
    var keptColumns: [String] { header.extras.indices.filter { !dropped.contains($0) }.map { header.extras[$0].name } }

    /// The trimmed field of `column` in the current record; nil when the file has no such column.
    @inline(__always)
    private func field(_ column: KnownColumn) -> UnsafeRawBufferPointer? {
        let index = position[column.rawValue]
        guard index >= 0 else { return nil }
        let value = FieldParsing.trimmed(fields[index])
        return translations[column.rawValue]?.translated(value) ?? value
    }

    /// A date in one of the mapping's formats, else in a built-in one. Bytes must be trimmed.
    private func date(_ bytes: UnsafeRawBufferPointer) -> DayNumber? { dates.date(bytes) }

    private mutating func warn(_ column: KnownColumn, _ reason: String) {
        note(ImportWarning(line: line, field: column.name, reason: reason))
    }

    /// Adds the scanner's current record. Returns the reason when the record is rejected.
    /// `reported`, when given, is the case's report date worked out elsewhere (from an event log).
    mutating func add(_ scanner: CSVScanner, reported known: DayNumber? = nil) -> String? {
        line = scanner.line
        fields = scanner.fields
        if let reason = structuralProblem(scanner.problem) { return reason }
        var reasons: [String] = []
        let id = field(.caseId)!
        if id.isEmpty { reasons.append("missing case_id") }
        var reported = known
        if known == nil {
            let reportedText = field(.reportedDate)!
            reported = date(reportedText)
            if reportedText.isEmpty {
                reasons.append("missing reported_date")
            } else if reported == nil {
                reasons.append("reported_date \(quoted(reportedText)) is not a date (\(CanonicalRowReader.expectedDate))")
            }
        }
        if field(.crimeType)!.isEmpty { reasons.append("missing crime_type") }
        guard reasons.isEmpty, let reported else { return reasons.joined(separator: "; ") }
        if let first = builder.claim(caseId: id) {
            return "duplicate case_id \(quoted(id)) (first seen on line \(first))"
        }
        if !DisplayText.isValidUTF8(id) { warn(.caseId, "case_id is not valid UTF-8; shown with U+FFFD") }
        builder.append(line: line, reported: reported.days, journey: journey(reported: reported), weight: weight())
        addCategories()
        return nil
    }

    /// Why a record whose bytes could not be split (or whose field count is wrong) is rejected; nil when it is whole.
    func structuralProblem(_ problem: RecordProblem?) -> String? {
        RecordProblem.reason(problem, fields: fields.count, expected: header.fieldCount, line: line)
    }

    private mutating func journey(reported: DayNumber) -> CaseJourney {
        var facts = JourneyFacts()
        var journey = CaseJourney()
        var latest = (day: reported.days, column: KnownColumn.reportedDate)
        for (stageIndex, (stage, column)) in laterDateColumns.enumerated() {
            let day = optionalDate(column)
            journey.laterStageDays[stageIndex] = day
            guard day != CaseTable.noDate else { continue }
            switch stage {
            case .referred: facts.hasReferredDate = true
            case .charged: facts.hasChargedDate = true
            case .prosecuted: facts.hasProsecutedDate = true
            case .convicted: facts.hasConvictedDate = true
            case .reported: break
            }
            if day < latest.day {
                warn(column, "\(DayNumber(days: day).iso) is before \(latest.column.name) \(DayNumber(days: latest.day).iso)")
            } else {
                latest = (day, column)
            }
        }
        journey.outcomeDay = optionalDate(.outcomeDate)
        if journey.outcomeDay != CaseTable.noDate, journey.outcomeDay < reported.days {
            warn(.outcomeDate, "\(DayNumber(days: journey.outcomeDay).iso) is before reported_date \(reported.iso)")
        }
        facts.police = policeOutcome()
        if let text = field(.courtOutcome), !text.isEmpty {
            facts.court = FieldParsing.courtOutcome(text)
            if facts.court == nil {
                warn(.courtOutcome, "\(quoted(text)) is not one of convicted, acquitted, discontinued, other")
            }
        }
        let stage = Journey.furthestStage(facts)
        if let court = facts.court, court == .discontinued || court == .other, stage < .charged {
            warn(.courtOutcome, "\(court.rawValue) but no charge is recorded (no charged_date, police_outcome 1 or court stage)")
        }
        journey.furthest = stage
        journey.outcome = Journey.outcome(facts)
        if keepsOutcomes {
            policeCodes.append(UInt8(facts.police?.code ?? 0))
            courtCodes.append(facts.court.map { UInt8(CourtOutcome.allCases.firstIndex(of: $0)! + 1) } ?? 0)
        }
        return journey
    }

    private mutating func optionalDate(_ column: KnownColumn) -> Int32 {
        guard let text = field(column), !text.isEmpty else { return CaseTable.noDate }
        if let date = date(text) { return date.days }
        warn(column, "\(quoted(text)) is not a date (\(CanonicalRowReader.expectedDate)); treated as not given")
        return CaseTable.noDate
    }

    private mutating func policeOutcome() -> PoliceOutcome? {
        guard let text = field(.policeOutcome), !text.isEmpty else { return nil }
        if let code = FieldParsing.wholeNumber(text), let outcome = PoliceOutcome(code: code) { return outcome }
        let code: UInt8
        if let id = outcomeSpellings.find(text) {
            code = outcomeOfSpelling[id]
        } else {
            code = UInt8(FieldParsing.policeOutcome(DisplayText.decode(text).text)?.code ?? 0)
            _ = outcomeSpellings.insert(text)
            outcomeOfSpelling.append(code)
        }
        if code == 0 {
            warn(.policeOutcome, "\(quoted(text)) is not a Home Office outcome code (1 to 22) or name; treated as not given")
            return nil
        }
        return PoliceOutcome(code: Int(code))
    }

    private mutating func weight() -> UInt32 {
        guard let text = field(.count), !text.isEmpty else { return 1 }
        if let value = FieldParsing.wholeNumber(text), value >= 1 { return UInt32(value) }
        if text.count > 9, text.allSatisfy({ (0x30...0x39).contains($0) }) {
            warn(.count, "\(quoted(text)) is more than \(NumberText.thousands(FieldParsing.largestWholeNumber)), the most cases one row may stand for; counted as 1")
        } else {
            warn(.count, "\(quoted(text)) is not a whole number of at least 1; counted as 1")
        }
        return 1
    }

    private mutating func addCategories() {
        addText(.crimeType, .crimeType)
        let boroughCode = addText(.borough, .borough)
        if let text = field(.bcu), !text.isEmpty {
            addText(.bcu, .bcu)
        } else {
            let code = builder.derivedBCU(forBorough: boroughCode, boroughs: Category.borough.rawValue, bcus: Category.bcu.rawValue)
            builder.dimensions[Category.bcu.rawValue].append(code)
        }
        addSex()
        addAge()
        addText(.ethnicity, .victimEthnicity)
        addYesNo(.disability, .victimDisability)
        addText(.relationship, .victimRelationship)
        addYesNo(.repeatVictim, .repeatVictim)
        for (index, extra) in header.extras.enumerated() where !dropped.contains(index) {
            let dimension = CanonicalRowReader.firstExtra + index
            let (code, valid) = builder.dimensions[dimension].encode(FieldParsing.trimmed(fields[extra.position]))
            builder.dimensions[dimension].append(code)
            if !valid {
                note(ImportWarning(line: line, field: extra.name, reason: "not valid UTF-8; shown with U+FFFD"))
            }
            if builder.dimensions[dimension].groupCount > limits.maxDistinct {
                // A free-text or identifier column: no dimension to break cases down by, and memory
                // that would grow with every row. Dropped whole, said once.
                dropped.insert(index)
                builder.dimensions[dimension] = CategoryEncoder(name: extra.name)
                note(ImportWarning(line: line, field: extra.name,
                                   reason: "more than \(limits.maxDistinct) distinct values by this line; the column is left out "
                                       + "(raise --max-distinct to keep it)"))
            }
        }
    }

    /// Encodes a free-text column (Unknown when the file lacks it) and returns the code.
    @discardableResult
    private mutating func addText(_ category: Category, _ column: KnownColumn) -> UInt32 {
        let (code, valid) = field(column).map { builder.dimensions[category.rawValue].encode($0) }
            ?? (builder.dimensions[category.rawValue].unknownCode, true)
        builder.dimensions[category.rawValue].append(code)
        if !valid { warn(column, "not valid UTF-8; shown with U+FFFD") }
        return code
    }

    private mutating func addSex() {
        // Presets: 0 Female, 1 Male, 2 Other.
        var code = builder.dimensions[Category.sex.rawValue].unknownCode
        if let text = field(.victimSex), !text.isEmpty {
            if FieldParsing.equalsIgnoringCase(text, "female") || FieldParsing.equalsIgnoringCase(text, "f") {
                code = 0
            } else if FieldParsing.equalsIgnoringCase(text, "male") || FieldParsing.equalsIgnoringCase(text, "m") {
                code = 1
            } else if FieldParsing.equalsIgnoringCase(text, "other") {
                code = 2
            } else if !FieldParsing.isExplicitUnknown(text) {
                warn(.victimSex, "\(quoted(text)) is not Female, Male or Other; treated as Unknown")
            }
        }
        builder.dimensions[Category.sex.rawValue].append(code)
    }

    private mutating func addAge() {
        let unknown = builder.dimensions[Category.ageBand.rawValue].unknownCode
        guard let text = field(.victimAge), !text.isEmpty, !FieldParsing.isExplicitUnknown(text) else {
            builder.dimensions[Category.ageBand.rawValue].append(unknown)
            return
        }
        var code = unknown
        if let age = FieldParsing.wholeNumber(text) {
            if age <= 120 {
                code = UInt32(CanonicalRowReader.bandIndex(age: age))
            } else {
                warn(.victimAge, "\(age) is outside 0 to 120; treated as Unknown")
            }
        } else {
            let band = DisplayText.decode(text).text
            if CanonicalRowReader.looksLikeAgeBand(band) {
                code = builder.dimensions[Category.ageBand.rawValue].code(forLabel: CanonicalRowReader.normalisedBand(band))
            } else {
                warn(.victimAge, "\(quoted(text)) is neither an age (0 to 120) nor an age band such as 18-24; treated as Unknown")
            }
        }
        builder.dimensions[Category.ageBand.rawValue].append(code)
    }

    /// Index into `ageBands` (and so the preset code) for an age in years.
    static func bandIndex(age: Int) -> Int {
        switch age {
        case ..<18: 0
        case 18...24: 1
        case 25...34: 2
        case 35...44: 3
        case 45...54: 4
        case 55...64: 5
        default: 6
        }
    }

    /// `18-24`, `18 – 24`, `65+`, `Under 18`, `Over 65`, `65 and over`.
    static func looksLikeAgeBand(_ text: String) -> Bool {
        let t = normalisedBand(text).lowercased()
        let numbers = t.split(whereSeparator: { !$0.isNumber })
        guard (1...2).contains(numbers.count) else { return false }
        if numbers.count == 2 { return t.range(of: #"^\d+-\d+$"#, options: .regularExpression) != nil }
        return t.range(of: #"^(\d+\+|under \d+|over \d+|\d+ and over|\d+ or over)$"#, options: .regularExpression) != nil
    }

    /// Dashes unified and spaces around them removed: `18 – 24` becomes `18-24`.
    static func normalisedBand(_ text: String) -> String {
        text.replacingOccurrences(of: #"\s*[-–—]\s*"#, with: "-", options: .regularExpression)
            .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }

    private mutating func addYesNo(_ category: Category, _ column: KnownColumn) {
        // Presets: 0 Yes, 1 No.
        var code = builder.dimensions[category.rawValue].unknownCode
        if let text = field(column), !text.isEmpty {
            if let yes = FieldParsing.yesNo(text) {
                code = yes ? 0 : 1
            } else if !FieldParsing.isExplicitUnknown(text) {
                warn(column, "\(quoted(text)) is not Yes/No/Y/N/true/false; treated as Unknown")
            }
        }
        builder.dimensions[category.rawValue].append(code)
    }

    private func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        DisplayText.quoted(DisplayText.decode(bytes).text)
    }

    /// Reads the event file at `path` onto the cases read so far (`reader`'s rules), its
    /// problems logged with the case file's and its refused rows sent to `sink`.
    mutating func applyEvents(_ reader: EventFileReader, path: String, sink: LabelledRejects?,
                              checkRow: (@Sendable (CSVScanner, UnsafeRawBufferPointer) -> ImportWarning?)? = nil) throws -> EventAccount {
        try reader.apply(path: path, to: &builder, police: policeCodes, court: courtCodes, log: &log, sink: sink,
                         limits: limits, checkRow: checkRow)
    }

    /// The import's result: the table, with the report-period dimensions worked out from the
    /// report dates, and the report. `rows` counts the case rows read; `events`, if an event
    /// file was read (its stages count as recorded, its rejected rows are not case rows).
    mutating func result(file: String, rows: Int, scanner: CSVScanner, events: (reader: EventFileReader, account: EventAccount)?,
                mapping: Mapping?) -> ImportResult {
        let recorded = events?.reader.recordedStages ?? []
        let unavailable = header.unavailableStages.filter { !recorded.contains($0) }
        let table = builder.finish(availableStages: Stage.allCases.filter { !unavailable.contains($0) },
                                   leftOut: Set(dropped.map { $0 + CanonicalRowReader.firstExtra }))
        var report = ImportReport(
            file: file, rows: rows, accepted: table.rowCount, rejections: log.rejections, warnings: log.warnings,
            rejected: log.rejected - (events?.account.rejected ?? 0), warningCount: log.warningCount,
            droppedColumns: droppedColumns, blankLines: scanner.blankLines, unavailableStages: unavailable,
            extraDimensions: keptColumns, sourceSHA256: scanner.sha256)
        report.events = events?.account
        report.mapping = mapping.map { MappingUse(path: $0.path, sha256: $0.sha256, unmappedValues: unmappedValues) }
        return ImportResult(table: table, report: report)
    }
}
