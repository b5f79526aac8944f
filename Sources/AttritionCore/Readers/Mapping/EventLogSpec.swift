import Foundation
import TOMLKit

/// What an event type means (docs/contracts/mapping-and-events.md, section 2).
public enum EventMeaning: Equatable, Sendable {
    /// The stage was reached on the event's date.
    case stage(Stage)
    /// A Home Office outcome on that date.
    case police(PoliceOutcome)
    /// A court result on that date.
    case court(CourtOutcome)

    /// The meaning `text` names: `charged`, `outcome:16`, `court:acquitted`; nil when it names none.
    public init?(_ text: String) {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let stage = Stage(name: lower) {
            self = .stage(stage)
        } else if lower.hasPrefix("outcome:"), let code = Int(lower.dropFirst(8)), let outcome = PoliceOutcome(code: code) {
            self = .police(outcome)
        } else if lower.hasPrefix("court:"), let court = CourtOutcome(rawValue: String(lower.dropFirst(6))) {
            self = .court(court)
        } else {
            return nil
        }
    }
}

/// A mapping's `[events]`: where the event file is (when there is a separate case file), its
/// three columns, and what each event type means.
public struct EventLogSpec: Sendable {
    /// The event file, resolved against the mapping's folder; nil when the data file is itself the event log.
    public let file: String?
    /// The header of the case reference column.
    public let caseId: String
    /// The header of the event type column.
    public let event: String
    /// The header of the event date column.
    public let date: String
    /// Each event type (folded: trimmed, lower case) and its meaning.
    public let meanings: [String: EventMeaning]

    init(_ section: TOMLTable, mappingPath: String, fail: (String, String?, String) -> MappingError) throws {
        for key in section.keys where !["file", "case_id", "event", "date", "map"].contains(key) {
            throw fail("events", key, "[events] takes file, case_id, event, date and [events.map]")
        }
        func text(_ key: String) throws -> String? {
            guard let value = section[key] else { return nil }
            guard let text = value.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("events", key, "\(key) must be text in quotes")
            }
            return text
        }
        func required(_ key: String, _ meaning: String) throws -> String {
            guard let value = try text(key) else { throw fail("events", nil, "[events] needs \(key) = \"…\": the header of \(meaning)") }
            return value
        }
        file = try text("file").map { name in
            name.hasPrefix("/") ? name : URL(fileURLWithPath: mappingPath).deletingLastPathComponent().appendingPathComponent(name).path
        }
        caseId = try required("case_id", "the case reference column")
        event = try required("event", "the event type column")
        date = try required("date", "the event date column")
        guard let map = section["map"]?.table else {
            throw fail("events", nil, "[events.map] is missing: it says what each event type means (\"Charged\" = \"charged\")")
        }
        var meanings: [String: EventMeaning] = [:]
        for key in map.keys {
            guard let text = map[key]?.string, let meaning = EventMeaning(text) else {
                throw fail("events.map", key, "'\(DisplayText.sanitized(map[key]?.string ?? "?"))' is not a meaning: give reported, referred, "
                    + "charged, prosecuted, convicted, outcome:N (1–22) or court:convicted|acquitted|discontinued|other")
            }
            meanings[ValueTranslation.fold(key)] = meaning
        }
        self.meanings = meanings
    }
}

/// Reads event types through a mapping's `[events.map]`, each distinct spelling decoded once.
struct EventTypeReader {
    let meanings: [String: EventMeaning]
    private var spellings = SpellingTable()
    private var meaningOf: [EventMeaning?] = []

    /// A reader by `spec`'s map.
    init(_ spec: EventLogSpec) { meanings = spec.meanings }

    /// The spelling's number (dense, in the order first seen) and its meaning, nil when the map does not give one.
    mutating func read(_ type: UnsafeRawBufferPointer) -> (id: Int, meaning: EventMeaning?) {
        if let known = spellings.find(type) { return (known, meaningOf[known]) }
        let meaning = meanings[ValueTranslation.fold(DisplayText.decode(type).text)]
        meaningOf.append(meaning)
        return (spellings.insert(type), meaning)
    }
}
