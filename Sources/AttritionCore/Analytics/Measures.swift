import Foundation
import TOMLKit

/// Which way a target points.
public enum TargetDirection: String, Sendable {
    /// The rate should be at least the target.
    case atLeast = "at_least"
    /// The rate should be at most the target.
    case atMost = "at_most"
}

/// A measure's target for one crime type.
public enum MeasureTarget: Equatable, Sendable {
    /// A fixed rate, reached from one side.
    case rate(Double, TargetDirection)
    /// Better than the baseline period's own rate, in this direction (`--baseline`).
    case baseline(TargetDirection)
}

/// Which cases a measure's numerator or denominator counts: any case meeting one of its clauses.
public struct CaseCondition: Equatable, Sendable {
    /// Every case.
    public var all = false
    /// Cases that reached any of these stages.
    public var stages: Set<Stage> = []
    /// Cases with one of these Home Office outcomes; 1 (charged/summonsed) is every case charged.
    public var policeOutcomes: Set<Int> = []
    /// Cases with one of these court results.
    public var courtOutcomes: Set<CourtOutcome> = []

    /// The condition in words, for notes.
    public var summary: String {
        var parts: [String] = []
        if all { parts.append("every case") }
        if !stages.isEmpty { parts.append("reached " + stages.sorted().map(\.name).joined(separator: " or ")) }
        if !policeOutcomes.isEmpty {
            parts.append("outcome " + policeOutcomes.sorted().map(String.init).joined(separator: ", ") + (policeOutcomes.contains(1) ? " (1: charged)" : ""))
        }
        if !courtOutcomes.isEmpty { parts.append("court result " + courtOutcomes.map(\.rawValue).sorted().joined(separator: " or ")) }
        return parts.joined(separator: "; or ")
    }
}

/// One measure of a performance framework.
public struct Measure: Equatable, Sendable {
    /// The identifier used in outputs (`detection_rate`).
    public let id: String
    /// Its name for people.
    public let name: String
    /// Cases counted above the line.
    public let numerator: CaseCondition
    /// Cases counted below the line.
    public let denominator: CaseCondition
    /// The crime types it covers, in order.
    public let crimeTypes: [String]
    /// Each crime type's target, where it has one.
    public let targets: [String: MeasureTarget]
}

/// A set of measures, with where it comes from.
public struct MeasureSet: Equatable, Sendable {
    /// The measures, in order.
    public let measures: [Measure]
    /// Where the framework comes from.
    public let source: String
    /// The measures file it was read from; nil for the built-in framework.
    public let file: String?

    /// The Metropolitan Police's VAWG performance framework as this tool reads it
    /// (docs/methodology.md, "Scorecard"), as a measures file.
    public static let builtInText = """
    source = "Metropolitan Police Service, VAWG Action Plan performance framework (2022): detection rates of 30% for domestic abuse and 10% for rape; outcomes 14 and 16 reduced to 32% of outcomes for the priority crime types; outcome 15 against a baseline. Outcome definitions: Home Office, Crime outcomes in England and Wales, user guide."

    [[measures]]
    id = "detection_rate"
    name = "Detection rate: charged or summonsed, or outcomes 2-4 and 6-8, of cases reported"
    crime_types = ["Domestic abuse", "Rape"]
    numerator = { police_outcomes = [1, 2, 3, 4, 6, 7, 8] }
    denominator = { all = true }
    targets = { "Domestic abuse" = { at_least = 0.30 }, "Rape" = { at_least = 0.10 } }

    [[measures]]
    id = "outcome_14_share"
    name = "Outcome 14 (no suspect; victim does not support) as a share of police outcomes"
    crime_types = ["Domestic abuse", "Rape", "Other sexual offences", "Stalking", "Harassment"]
    numerator = { police_outcomes = [14] }
    denominator = { police_outcomes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] }
    targets = { "Domestic abuse" = { at_most = 0.32 }, "Rape" = { at_most = 0.32 }, "Other sexual offences" = { at_most = 0.32 }, "Stalking" = { at_most = 0.32 }, "Harassment" = { at_most = 0.32 } }

    [[measures]]
    id = "outcome_15_share"
    name = "Outcome 15 (victim supports; evidential difficulties) as a share of police outcomes"
    crime_types = ["Domestic abuse", "Rape", "Other sexual offences", "Stalking", "Harassment"]
    numerator = { police_outcomes = [15] }
    denominator = { police_outcomes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] }
    targets = { "Domestic abuse" = { baseline = "decrease" }, "Rape" = { baseline = "decrease" }, "Other sexual offences" = { baseline = "decrease" }, "Stalking" = { baseline = "decrease" }, "Harassment" = { baseline = "decrease" } }

    [[measures]]
    id = "outcome_16_share"
    name = "Outcome 16 (suspect identified; victim does not support) as a share of police outcomes"
    crime_types = ["Domestic abuse", "Rape", "Other sexual offences", "Stalking", "Harassment"]
    numerator = { police_outcomes = [16] }
    denominator = { police_outcomes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] }
    targets = { "Domestic abuse" = { at_most = 0.32 }, "Rape" = { at_most = 0.32 }, "Other sexual offences" = { at_most = 0.32 }, "Stalking" = { at_most = 0.32 }, "Harassment" = { at_most = 0.32 } }
    """

    /// The built-in framework, parsed once per process (a key press on a reviewer's page builds
    /// a query, and so reads this, every time).
    public static let builtIn: MeasureSet = try! parse(builtInText, path: "(built-in measures)", file: nil)

    /// The measures file at `path`.
    public static func load(path: String) throws -> MeasureSet {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw MeasuresError(file: path, line: nil, reason: "cannot be read as UTF-8 text")
        }
        return try parse(text, path: path, file: path)
    }

    /// Measures from TOML `text`, known as `path` in messages (every problem names its line), read from `file`.
    static func parse(_ text: String, path: String, file: String?) throws -> MeasureSet {
        let root: TOMLTable
        do {
            root = try TOMLDocument.parse(text)
        } catch {
            throw MeasuresError(file: path, line: error.line, reason: "is not valid TOML: \(error.reason)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ near: String, _ reason: String) -> MeasuresError {
            MeasuresError(file: path, line: lines.firstIndex { $0.contains(near) }.map { $0 + 1 }, reason: reason)
        }
        for key in root.keys where !["source", "measures"].contains(key) {
            throw fail(key, "unknown key '\(key)': a measures file has source and [[measures]]")
        }
        guard let list = root["measures"]?.array, !list.isEmpty else { throw fail("measures", "no [[measures]] in the file") }
        var measures: [Measure] = []
        for element in list {
            guard let table = element.table else { throw fail("measures", "each measure is a [[measures]] table") }
            guard let id = table["id"]?.string, !id.isEmpty else { throw fail("[[measures]]", "a measure has no id") }
            func text(_ key: String) throws -> String {
                guard let value = table[key]?.string else { throw fail(id, "measure \(id): \(key) must be text in quotes") }
                return value
            }
            func condition(_ key: String) throws -> CaseCondition {
                guard let spec = table[key]?.table else { throw fail(id, "measure \(id): \(key) must be a table such as { police_outcomes = [14] }") }
                var condition = CaseCondition()
                for clause in spec.keys {
                    switch clause {
                    case "all": condition.all = spec[clause]?.bool ?? false
                    case "stages":
                        for value in spec[clause]?.array ?? [] {
                            guard let stage = value.string.flatMap(Stage.init(name:)) else {
                                throw fail(id, "measure \(id): stages are reported, referred, charged, prosecuted, convicted")
                            }
                            condition.stages.insert(stage)
                        }
                    case "police_outcomes":
                        for value in spec[clause]?.array ?? [] {
                            guard let code = value.int, PoliceOutcome(code: code) != nil else {
                                throw fail(id, "measure \(id): police_outcomes are Home Office codes 1 to 22")
                            }
                            condition.policeOutcomes.insert(code)
                        }
                    case "court_outcomes":
                        for value in spec[clause]?.array ?? [] {
                            guard let court = value.string.flatMap(CourtOutcome.init(rawValue:)) else {
                                throw fail(id, "measure \(id): court_outcomes are convicted, acquitted, discontinued, other")
                            }
                            condition.courtOutcomes.insert(court)
                        }
                    default:
                        throw fail(id, "measure \(id): \(key) takes all, stages, police_outcomes or court_outcomes, not \(clause)")
                    }
                }
                guard condition != CaseCondition() else { throw fail(id, "measure \(id): \(key) counts no case") }
                return condition
            }
            guard let crimeTypes = table["crime_types"]?.array?.compactMap(\.string), !crimeTypes.isEmpty else {
                throw fail(id, "measure \(id): crime_types must be a list such as [\"Rape\"]")
            }
            var targets: [String: MeasureTarget] = [:]
            if let spec = table["targets"]?.table {
                for crime in spec.keys {
                    guard let target = spec[crime]?.table else { throw fail(id, "measure \(id): the target for \(crime) must be a table") }
                    if let value = target["at_least"]?.double ?? target["at_least"]?.int.map(Double.init) {
                        targets[crime] = .rate(value, .atLeast)
                    } else if let value = target["at_most"]?.double ?? target["at_most"]?.int.map(Double.init) {
                        targets[crime] = .rate(value, .atMost)
                    } else if let way = target["baseline"]?.string, ["increase", "decrease"].contains(way) {
                        targets[crime] = .baseline(way == "increase" ? .atLeast : .atMost)
                    } else {
                        throw fail(id, "measure \(id): a target is { at_least = 0.3 }, { at_most = 0.32 } or { baseline = \"increase\" | \"decrease\" }")
                    }
                    if case .rate(let value, _) = targets[crime]!, !(0...1).contains(value) {
                        throw fail(id, "measure \(id): a target rate is a proportion from 0 to 1 (0.3 for 30%)")
                    }
                }
            }
            measures.append(Measure(id: id, name: try text("name"), numerator: try condition("numerator"),
                                    denominator: try condition("denominator"), crimeTypes: crimeTypes, targets: targets))
        }
        guard Set(measures.map(\.id)).count == measures.count else { throw fail("id", "two measures share an id") }
        return MeasureSet(measures: measures, source: root["source"]?.string ?? path, file: file)
    }
}

/// A measures file that cannot be used: the file, the line and why.
public struct MeasuresError: Error, CustomStringConvertible, Equatable {
    /// The measures file.
    public let file: String
    /// The line, where known.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    public var description: String { "\(file)\(line.map { ", line \($0)" } ?? ""): \(reason)" }
}
