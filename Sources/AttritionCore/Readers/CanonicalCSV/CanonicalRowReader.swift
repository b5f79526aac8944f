/// Applies the canonical case file's field rules (docs/contracts/case-journey-format.md, sections 1 to 7) to one record at a
/// time, for a run of a file's records (a piece read on one thread, or a batch of a stream).
///
/// It keeps, in file order, every record's fate: refused (with its reason and bytes), or a case
/// with its reference, journey, groups and warnings. Whether a case is new — the one rule that
/// needs every earlier record — is left to `CaseFileAssembly`, which joins the runs in order.
struct CanonicalRowReader {
    /// The standard age bands of docs/contracts/case-journey-format.md, section 5, youngest first.
    static let ageBands = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    private static let expectedDate = "expected YYYY-MM-DD or DD/MM/YYYY"

    private let header: Header
    private let position: [Int]
    private let laterDateColumns: [(stage: Stage, column: KnownColumn)] =
        [(.referred, .referredDate), (.charged, .chargedDate), (.prosecuted, .prosecutedDate), (.convicted, .convictedDate)]

    /// The cases so far (their references apart, in `batch`). Dimensions: the built-in categorical
    /// ones indexed by `Category`, then the extras.
    private(set) var builder: CaseTableBuilder
    /// Every record read, refused or not, and what the assembly needs of each.
    private(set) var batch: RecordBatch

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
    static let firstExtra = 9
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
    /// Whether each case's police and court outcomes are kept apart (`batch.policeCodes`,
    /// `batch.courtCodes`), for events read later to combine with.
    private let keepsOutcomes: Bool
    private var line = 0
    /// The fields of the record being added.
    private var fields = UnsafeBufferPointer<UnsafeRawBufferPointer>(start: nil, count: 0)

    /// A reader for records laid out as `header` says, within `limits`, with room reserved for
    /// about `expectedRows`.
    /// `keepingRecords` keeps every case's record bytes too, for a rejects file (a case found a duplicate is written out).
    init(header: Header, limits: ImportLimits, expectedRows: Int, mapping: Mapping? = nil, keepingOutcomes: Bool = false,
         keepingRecords: Bool = false) {
        self.header = header
        keepsOutcomes = keepingOutcomes
        self.limits = limits
        dates = DateReader(formats: mapping?.dateFormats ?? [])
        translations = KnownColumn.allCases.map { column in mapping?.values[column].map { ValueTranslation($0, column: column) } }
        batch = RecordBatch(keepsRecords: keepingRecords)
        position = KnownColumn.allCases.map { header.positions[$0] ?? -1 }
        // Each spelling apart: which spelling names a group is for the assembly to say.
        builder = CaseTableBuilder(dimensions: CanonicalRowReader.dimensions(for: header).map { ($0.encoder.keepingSpellingsApart(), $0.order) },
                                   periodsAfter: CanonicalRowReader.firstExtra, expectedRows: expectedRows)
    }

    /// The dimensions of a file with `header`: the built-in ones, then its extra columns.
    static func dimensions(for header: Header) -> [(encoder: CategoryEncoder, order: LabelOrder)] {
        builtInDimensions + header.extras.map { (CategoryEncoder(name: $0.name), LabelOrder.alphabetical) }
    }

    /// Counts records read, and the blank lines passed over among them.
    mutating func countRecords(_ records: Int, blankLines: Int) {
        batch.recordsRead += records
        batch.blankLines += blankLines
    }

    /// Records that the scanner's current record was refused, and why (`filedAs`, when given, is
    /// the reason a labelled rejects file gives).
    mutating func reject(_ scanner: CSVScanner, reason: String, filedAs: String? = nil) {
        batch.reject(line: scanner.line, reason: reason, filedAs: filedAs ?? reason, record: scanner.rawRecord)
    }

    /// Records a warning about the case being added.
    private mutating func note(_ warning: ImportWarning) { batch.warnings.append(warning) }

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
        if !DisplayText.isValidUTF8(id) { warn(.caseId, "case_id is not valid UTF-8; shown with U+FFFD") }
        builder.append(line: line, reported: reported.days, journey: journey(reported: reported), weight: weight())
        addCategories()
        batch.accept(caseId: id, record: scanner.rawRecord)
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
            batch.policeCodes.append(UInt8(facts.police?.code ?? 0))
            batch.courtCodes.append(facts.court.map { UInt8(CourtOutcome.allCases.firstIndex(of: $0)! + 1) } ?? 0)
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
        // Whether an extra column has too many distinct values to keep is for the assembly to say, over the whole file.
        for (index, extra) in header.extras.enumerated() {
            let dimension = CanonicalRowReader.firstExtra + index
            let (code, valid) = builder.dimensions[dimension].encode(FieldParsing.trimmed(fields[extra.position]))
            builder.dimensions[dimension].append(code)
            if !valid {
                note(ImportWarning(line: line, field: extra.name, reason: "not valid UTF-8; shown with U+FFFD"))
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
}
