import Foundation

/// The synthetic London sample as a records system would export it: a case file with its own
/// headers, an event file with one row per event, and the mapping that reads them
/// (`attrition sample --format events`). Its cases and journeys are those of the case-journey
/// sample with the same seed and size, so the two give the same funnels.
public enum EventSample {
    /// The case file's header.
    static let caseHeader = "URN,Recorded,Offence,BCU,Borough,Sex,Age,Ethnicity,Disabled,Relationship,Repeat\n"
    /// The event file's header.
    static let eventHeader = "URN,Event Type,Event Date\n"

    /// The mapping that reads the two files.
    public static let mapping = """
    # Reads the synthetic records-system export made by `attrition sample --format events`.
    [columns]
    case_id             = "URN"
    reported_date       = "Recorded"
    crime_type          = "Offence"
    bcu                 = "BCU"
    borough             = "Borough"
    victim_sex          = "Sex"
    victim_age          = "Age"
    victim_ethnicity    = "Ethnicity"
    victim_disability   = "Disabled"
    victim_relationship = "Relationship"
    repeat_victim       = "Repeat"

    [events]
    file    = "events.csv"
    case_id = "URN"
    event   = "Event Type"
    date    = "Event Date"

    [events.map]
    "Crime Recorded"     = "reported"
    "Status Review"      = "reported"
    "Referred to CPS"    = "referred"
    "Charged"            = "charged"
    "First Hearing"      = "prosecuted"
    "Convicted"          = "convicted"
    "Court: convicted"   = "court:convicted"
    "Court: acquitted"   = "court:acquitted"
    "Court: discontinued" = "court:discontinued"
    \((1...22).map { "\"Outcome \($0)\" = \"outcome:\($0)\"" }.joined(separator: "\n"))

    """

    /// The day number of a `YYYY-MM-DD` date the generator wrote.
    private static func day(_ iso: String) -> Int32 {
        Array(iso.utf8).withUnsafeBytes { FieldParsing.date($0)!.days }
    }

    /// Streams the case file and the event file, each in chunks of about a megabyte.
    public static func write(_ spec: SampleSpec, cases: ([UInt8]) throws -> Void, events: ([UInt8]) throws -> Void) throws {
        var caseBuffer = Array(caseHeader.utf8), eventBuffer = Array(eventHeader.utf8)
        var random = SampleRandom(seed: spec.seed ^ 0x5EED_E7E7)
        var pending: [UInt8] = []
        var skippedHeader = false
        func line(_ bytes: ArraySlice<UInt8>) throws {
            guard skippedHeader else {
                skippedHeader = true
                return
            }
            let fields = bytes.split(separator: 0x2C, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            // case_id … repeat_victim, then referred, charged, prosecuted, convicted, police_outcome, court_outcome, outcome_date.
            caseBuffer += Array((fields[0..<11].joined(separator: ",") + "\n").utf8)
            let id = fields[0], reported = fields[1]
            func event(_ type: String, _ date: String) { eventBuffer += Array("\(id),\(type),\(date)\n".utf8) }
            event("Crime Recorded", reported)
            let stages = [("Referred to CPS", fields[11]), ("Charged", fields[12]), ("First Hearing", fields[13]), ("Convicted", fields[14])]
            let last = stages.last { !$0.1.isEmpty }?.1 ?? reported
            // Reviews between the report and the last stage reached (or the report itself).
            let (from, to) = (day(reported), max(day(last), day(reported)))
            for _ in 0..<(1 + random.below(4)) {
                event("Status Review", DayNumber(days: from + Int32(random.below(Int(to - from) + 1))).iso)
            }
            for (type, date) in stages where !date.isEmpty { event(type, date) }
            // Outcomes that close the case are dated when it closed; a charge (outcome 1) when it was reached.
            let closed = fields[17].isEmpty ? last : fields[17]
            if !fields[15].isEmpty { event("Outcome \(fields[15])", fields[15] == "1" ? last : closed) }
            if !fields[16].isEmpty { event("Court: \(fields[16])", closed) }
            if caseBuffer.count >= 1 << 20 { try cases(caseBuffer); caseBuffer.removeAll(keepingCapacity: true) }
            if eventBuffer.count >= 1 << 20 { try events(eventBuffer); eventBuffer.removeAll(keepingCapacity: true) }
        }
        try SampleGenerator.write(spec) { chunk in
            pending += chunk
            var start = pending.startIndex
            while let end = pending[start...].firstIndex(of: 0x0A) {
                try line(pending[start..<end])
                start = end + 1
            }
            pending.removeSubrange(..<start)
        }
        try cases(caseBuffer)
        try events(eventBuffer)
    }

    /// Writes `cases.csv`, `events.csv` and `attrition.toml` into a new folder at `path`,
    /// made under a temporary name and renamed into place complete (a folder is never replaced).
    public static func write(_ spec: SampleSpec, toFolder path: String) throws {
        try NewFolder.make(at: path) { folder in
            let casesFile = try AtomicFile(destination: folder + "/cases.csv", overwrite: false)
            let eventsFile = try AtomicFile(destination: folder + "/events.csv", overwrite: false)
            try write(spec, cases: { bytes in try bytes.withUnsafeBytes { try casesFile.write($0) } },
                      events: { bytes in try bytes.withUnsafeBytes { try eventsFile.write($0) } })
            try casesFile.commit()
            try eventsFile.commit()
            let mappingFile = try AtomicFile(destination: folder + "/attrition.toml", overwrite: false)
            try mappingFile.write(mapping)
            try mappingFile.commit()
        }
    }
}

/// A folder made under a temporary name beside its destination and renamed into place only
/// when complete; an existing folder is never replaced.
enum NewFolder {
    /// Makes the folder at `path`, filled by `fill` (given the temporary folder's path).
    static func make(at path: String, fill: (String) throws -> Void) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path) else {
            throw OutputError.cannotWrite(path, "it already exists; a folder is never replaced, so name a new one")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).attrition-\(getpid()).tmpdir").path
        do {
            try manager.createDirectory(atPath: temporary, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try fill(temporary)
            guard rename(temporary, path) == 0 else { throw OutputError.cannotWrite(path, String(cString: strerror(errno))) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }
}
