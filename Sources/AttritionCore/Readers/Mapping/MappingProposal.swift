import Foundation

/// A starting mapping for an extract (docs/contracts/mapping-and-events.md, section 3): each canonical
/// column with the header it most likely is — commented out when unsure — the date formats that
/// read the sampled dates, the values of categorical columns that match no canonical value (to
/// be filled in), and personal-data columns to drop. It is only ever written out for a person to
/// check: nothing in it is applied until it is saved and named as a mapping.
public struct MappingProposal {
    /// A canonical column's likely header, and whether the match is sure.
    public struct Match: Equatable, Sendable {
        /// The header in the file.
        public let header: String
        /// True when the header is the canonical name or one of its usual spellings.
        public let sure: Bool
    }

    /// For each canonical column, its likely header, if any.
    public let matches: [KnownColumn: Match]
    /// Date formats needed beyond the built-in two, in the order to try them.
    public let dateFormats: [String]
    /// For each categorical column matched, the sampled values that are no canonical value.
    public let unmatchedValues: [KnownColumn: [String]]
    /// Headers that look like personal data.
    public let personalData: [String]
    /// Rows sampled.
    public let sampledRows: Int

    /// The usual spellings of each canonical column in records-system exports, normalised
    /// (lower case, words separated by single spaces).
    static let synonyms: [KnownColumn: [String]] = [
        .caseId: ["case id", "case ref", "case reference", "crime reference", "crime ref", "crime reference number", "crime number",
                  "crime no", "crime ref no", "crime reference no", "urn", "occurrence number", "occurrence reference", "case number", "reference"],
        .reportedDate: ["reported date", "date reported", "date recorded", "recorded date", "report date", "crime recorded date",
                        "date of report", "reported on", "recorded"],
        .crimeType: ["crime type", "offence", "offence group", "offence type", "crime category", "offence category",
                     "offence description", "crime group", "classification"],
        .bcu: ["bcu", "basic command unit", "command unit", "bcu name"],
        .borough: ["borough", "borough name", "local authority", "district"],
        .victimSex: ["victim sex", "victim gender", "sex", "gender"],
        .victimAge: ["victim age", "age", "victim age at offence", "age at offence", "victim age band", "age band"],
        .victimEthnicity: ["victim ethnicity", "ethnicity", "ethnic group", "victim ethnic group", "self defined ethnicity"],
        .victimDisability: ["victim disability", "disability", "disabled", "victim disabled"],
        .victimRelationship: ["victim relationship", "relationship", "relationship to suspect", "victim suspect relationship",
                              "relationship to offender", "suspect relationship"],
        .repeatVictim: ["repeat victim", "repeat", "repeat victimisation", "repeat victimization"],
        .referredDate: ["referred date", "date referred", "referral date", "cps referral date", "date referred to cps", "date sent to cps"],
        .chargedDate: ["charged date", "charge date", "date charged", "charge or summons date"],
        .prosecutedDate: ["prosecuted date", "first hearing", "first hearing date", "date of first hearing"],
        .convictedDate: ["convicted date", "conviction date", "date convicted", "date of conviction"],
        .policeOutcome: ["police outcome", "outcome", "outcome code", "crime outcome", "home office outcome", "ho outcome", "outcome type"],
        .courtOutcome: ["court outcome", "court result", "result", "verdict", "finalisation"],
        .outcomeDate: ["outcome date", "date closed", "closed date", "finalised date", "date finalised", "outcome recorded date"],
        .count: ["count", "number of cases", "cases"],
    ]

    /// Formats tried on sampled dates, after the built-in `YYYY-MM-DD` and `DD/MM/YYYY`.
    static let candidateFormats = ["%d-%b-%Y", "%d %b %Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S",
                                   "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%b-%Y %H:%M"]

    /// Words in a header that suggest personal data, never to leave the extract.
    static let personalWords = ["name", "address", "phone", "telephone", "email", "postcode", "dob", "birth", "officer", "nino", "passport"]

    /// Reads the header and up to `sampleRows` rows of `path` and works out the proposal.
    public static func propose(path: String, sampleRows: Int = 10_000) throws -> MappingProposal {
        let scanner = CSVScanner(source: try FileByteSource(path: path))
        guard try scanner.next() else { throw ImportError.empty(file: path) }
        if scanner.isBinary { throw ImportError.notText(file: path) }
        let headers = (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text.trimmingCharacters(in: .whitespaces) }
        var samples = Array(repeating: [String](), count: headers.count)
        var distinct = Array(repeating: Set<String>(), count: headers.count)
        var rows = 0
        while rows < sampleRows, try scanner.next() {
            rows += 1
            guard scanner.fieldCount == headers.count else { continue }
            for index in headers.indices {
                let value = DisplayText.decode(FieldParsing.trimmed(scanner.field(index))).text
                guard !value.isEmpty else { continue }
                if samples[index].count < 200 { samples[index].append(value) }
                if distinct[index].count < 500 { distinct[index].insert(value) }
            }
        }
        let matches = match(headers)
        var formats: [String] = []
        let candidates = candidateFormats.map { (text: $0, reader: DateReader(formats: [try! DateFormat.parse($0).get()])) }
        let builtIn = DateReader(formats: [])
        for column in KnownColumn.allCases where column.isDate {
            guard let match = matches[column], let index = headers.firstIndex(of: match.header) else { continue }
            for value in samples[index] where builtIn.date(value) == nil {
                guard let format = candidates.first(where: { $0.reader.date(value) != nil })?.text else { continue }
                if !formats.contains(format) { formats.append(format) }
            }
        }
        var unmatched: [KnownColumn: [String]] = [:]
        for column in KnownColumn.allCases where column.isCategorical {
            guard let match = matches[column], let index = headers.firstIndex(of: match.header) else { continue }
            let odd = distinct[index].filter { !column.isCanonicalValue($0) }.sorted { $0.lowercased() < $1.lowercased() }
            if !odd.isEmpty { unmatched[column] = odd }
        }
        let matched = Set(matches.values.map(\.header))
        let personal = headers.filter { header in
            !matched.contains(header) && personalWords.contains { normalised(header).split(separator: " ").contains(Substring($0)) }
        }
        return MappingProposal(matches: matches, dateFormats: formats, unmatchedValues: unmatched, personalData: personal, sampledRows: rows)
    }

    /// Lower case, every run of other characters one space: `Victim_Age (at offence)` → `victim age at offence`.
    static func normalised(_ header: String) -> String {
        header.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// Each canonical column's likeliest header: the canonical name or a usual spelling (sure),
    /// else the header sharing most words with one (unsure). A header is given to one column only.
    static func match(_ headers: [String]) -> [KnownColumn: Match] {
        var result: [KnownColumn: Match] = [:]
        var taken = Set<String>()
        for column in KnownColumn.allCases {
            let names = Set([normalised(column.name)] + (synonyms[column] ?? []))
            if let header = headers.first(where: { !taken.contains($0) && names.contains(normalised($0)) }) {
                result[column] = Match(header: header, sure: true)
                taken.insert(header)
            }
        }
        for column in KnownColumn.allCases where result[column] == nil {
            let names = [normalised(column.name)] + (synonyms[column] ?? [])
            var best: (header: String, score: Double)?
            for header in headers where !taken.contains(header) {
                let words = Set(normalised(header).split(separator: " "))
                for name in names {
                    let other = Set(name.split(separator: " "))
                    let score = Double(words.intersection(other).count) / Double(words.union(other).count)
                    if score >= 0.5, score > (best?.score ?? 0) { best = (header, score) }
                }
            }
            if let best {
                result[column] = Match(header: best.header, sure: false)
                taken.insert(best.header)
            }
        }
        return result
    }

    /// The proposal as a mapping file for a person to check and complete.
    public func toml(for file: String) -> String {
        let quoted = TOMLText.string
        var lines = [
            "# A starting mapping for \(DisplayText.sanitized(file)), made by `attrition map` from its header and \(sampledRows) rows.",
            "# Nothing here is applied until you check it, save it (as attrition.toml beside the data, or",
            "# anywhere with --mapping FILE) and read the data again. docs/mapping.md explains every key.",
            "",
            "[columns]                 # canonical column = the header in your file",
        ]
        for column in KnownColumn.allCases {
            let key = column.name.padding(toLength: 19, withPad: " ", startingAt: 0)
            switch matches[column] {
            case let match? where match.sure: lines.append("\(key) = \(quoted(match.header))")
            case let match?: lines.append("# \(key) = \(quoted(match.header))   # unsure: check")
            case nil: lines.append("# \(key) = \"\"")
            }
        }
        lines += ["", "[dates]"]
        lines.append(dateFormats.isEmpty ? "# formats = []   # the sampled dates read as YYYY-MM-DD or DD/MM/YYYY"
                                         : "formats = [\(dateFormats.map(quoted).joined(separator: ", "))]")
        for column in KnownColumn.allCases {
            guard let values = unmatchedValues[column] else { continue }
            lines += ["", "[values.\(column.name)]   # your value = \(column.canonicalValuesHint); uncomment and fill in"]
            lines += values.prefix(100).map { "# \(quoted($0)) = \"\"" }
            if values.count > 100 { lines.append("# … and \(values.count - 100) more values in the sample") }
        }
        lines += ["", "[drop]"]
        lines.append(personalData.isEmpty ? "# columns = []   # headers never to read, such as names and addresses"
                                          : "columns = [\(personalData.map(quoted).joined(separator: ", "))]   # look like personal data: never read")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension KnownColumn {
    /// Columns holding dates.
    var isDate: Bool {
        [.reportedDate, .referredDate, .chargedDate, .prosecutedDate, .convictedDate, .outcomeDate].contains(self)
    }

    /// Columns whose values a `[values.<column>]` table translates.
    var isCategorical: Bool {
        [.crimeType, .victimSex, .victimDisability, .repeatVictim, .courtOutcome, .policeOutcome, .victimRelationship].contains(self)
    }

    /// Whether `value` is already a canonical value of this column (for crime types and
    /// relationships, one of the contract's examples).
    func isCanonicalValue(_ value: String) -> Bool {
        switch self {
        case .crimeType:
            return ["rape", "other sexual offences", "domestic abuse", "stalking", "harassment", "honour-based abuse"].contains(value.lowercased())
        case .victimRelationship:
            return ["partner or ex-partner", "family", "acquaintance", "stranger", "unknown"].contains(value.lowercased())
        default:
            return Mapping.unacceptable(value, for: self) == nil
        }
    }

    /// What the canonical values of this column are, in words.
    var canonicalValuesHint: String {
        switch self {
        case .crimeType: "a crime type, e.g. Rape, Other sexual offences, Domestic abuse, Stalking, Harassment, Honour-based abuse"
        case .victimSex: "Female, Male, Other or Unknown"
        case .victimDisability, .repeatVictim: "Yes, No or Unknown"
        case .courtOutcome: "convicted, acquitted, discontinued or other"
        case .policeOutcome: "a Home Office outcome code 1–22"
        case .victimRelationship: "e.g. Partner or ex-partner, Family, Acquaintance, Stranger"
        default: "its canonical value"
        }
    }
}
