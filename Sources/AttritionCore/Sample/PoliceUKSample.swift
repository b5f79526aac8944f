import Foundation

/// What synthetic police.uk archive to generate: forces, months and crimes per force-month.
public struct PoliceUKSampleSpec: Sendable, Equatable {
    /// Forces in the archive (up to `PoliceUKSample.forceNames.count`); the first is the Metropolitan Police.
    public var forces: Int
    /// Months in the archive, ending with `lastMonth`.
    public var months: Int
    /// Street rows per force per month (anti-social behaviour incidents included).
    public var rowsPerForceMonth: Int
    /// The random seed: the same seed and sizes give the same bytes.
    public var seed: UInt64
    /// The archive's last month (its outcomes stop there; later events have not happened yet).
    public var lastMonth: DayNumber

    /// A specification; the defaults make a small archive of 3 forces over 12 months.
    public init(forces: Int = 3, months: Int = 12, rowsPerForceMonth: Int = 1_000, seed: UInt64 = 20_240_930,
                lastMonth: DayNumber = DayNumber(year: 2024, month: 9, day: 1)!) {
        self.forces = forces
        self.months = months
        self.rowsPerForceMonth = rowsPerForceMonth
        self.seed = seed
        self.lastMonth = lastMonth
    }
}

/// Generates a synthetic police.uk download in the archive layout (`YYYY-MM/YYYY-MM-<force>-street.csv`,
/// `-outcomes.csv`, `-stop-and-search.csv`), with realistic outcome lags: outcomes months after
/// the crime, several per crime, crimes from before the first month whose outcomes fall inside
/// it, and each street file's last outcome category a snapshot taken when its month was
/// published, which later outcome rows supersede (docs/police-uk.md). Deterministic.
public enum PoliceUKSample {
    /// Forces, in the order they are used.
    public static let forceNames = [
        "Metropolitan Police Service", "Kent Police", "West Midlands Police", "Greater Manchester Police", "West Yorkshire Police",
        "Thames Valley Police", "Hampshire Constabulary", "Avon and Somerset Constabulary", "Merseyside Police", "Essex Police",
        "Sussex Police", "Lancashire Constabulary", "Northumbria Police", "South Yorkshire Police", "Devon & Cornwall Police",
        "Surrey Police", "Hertfordshire Constabulary", "Nottinghamshire Police", "Leicestershire Police", "Staffordshire Police",
        "Cheshire Constabulary", "Derbyshire Constabulary", "West Mercia Police", "Humberside Police", "Cleveland Police",
        "Durham Constabulary", "North Yorkshire Police", "Northamptonshire Police", "Cambridgeshire Constabulary",
        "Norfolk Constabulary", "Suffolk Constabulary", "Bedfordshire Police", "Gloucestershire Constabulary", "Wiltshire Police",
        "Dorset Police", "Lincolnshire Police", "Warwickshire Police", "Cumbria Constabulary", "South Wales Police",
        "Gwent Police", "North Wales Police", "Dyfed-Powys Police", "City of London Police", "Police Service of Northern Ireland",
    ]

    static let streetHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    static let outcomesHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n"
    static let stopSearchHeader = "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
        + "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
        + "Outcome linked to object of search,Removal of more than just outer clothing\n"

    /// Crime types and their shares of street rows (anti-social behaviour has no Crime ID).
    static let crimeTypes: [(name: String, share: Double)] = [
        ("Violence and sexual offences", 34), ("Anti-social behaviour", 18), ("Other theft", 8), ("Criminal damage and arson", 7),
        ("Public order", 7), ("Shoplifting", 7), ("Vehicle crime", 6), ("Burglary", 4), ("Drugs", 3), ("Robbery", 2),
        ("Theft from the person", 1.5), ("Other crime", 1.5), ("Bicycle theft", 1), ("Possession of weapons", 1),
    ]

    /// Months before the first one whose crimes still have outcomes inside the archive (not written as street rows).
    static let monthsBefore = 6

    /// Makes the archive's files in path order within each month, handing each to `write(path, bytes)`.
    public static func write(_ spec: PoliceUKSampleSpec, file write: (String, [UInt8]) throws -> Void) throws {
        let (lastYear, lastMonthNumber, _) = spec.lastMonth.components
        let last = lastYear * 12 + lastMonthNumber - 1
        let first = last - spec.months + 1
        let forces = Array(forceNames.prefix(max(1, min(spec.forces, forceNames.count))))
        // Outcome rows waiting for their month's file, by month then force.
        var pending: [Int: [[UInt8]]] = [:]
        for month in (first - monthsBefore)...last {
            for (forceIndex, force) in forces.enumerated() {
                // Each force-month its own stream, started from a hash of the seed, month and force
                // (seeds a fixed step apart would give overlapping SplitMix streams, and so the same Crime IDs).
                var mixer = SampleRandom(seed: spec.seed &+ UInt64(month * 64 + forceIndex))
                var random = SampleRandom(seed: mixer.next())
                let inWindow = month >= first
                var street = Array(streetHeader.utf8)
                street.reserveCapacity(spec.rowsPerForceMonth * 230)
                for _ in 0..<spec.rowsPerForceMonth {
                    let place = Place(force: force, forceIndex: forceIndex, random: &random)
                    let type = crimeTypes[random.pick(crimeTypes.map(\.share))].name
                    if type == "Anti-social behaviour" {
                        if inWindow { street += row(["", monthText(month), force, force] + place.fields + [type, "", ""]) }
                        continue
                    }
                    let id = crimeId(&random)
                    let events = journey(type: type, month: month, last: last, random: &random)
                    // The street snapshot: the latest event by the time the month was published, a month or two after it.
                    let published = min(month + 1 + random.below(2), last)
                    let snapshot = events.last { $0.month <= published }?.category
                        ?? (random.chance(0.03) ? .statusUpdateUnavailable : .underInvestigation)
                    if inWindow { street += row([id, monthText(month), force, force] + place.fields + [type, snapshot.title, ""]) }
                    for event in events where event.month >= first && event.month <= last {
                        let line = row([id, monthText(event.month), force, force] + place.fields + [event.category.title])
                        pending[event.month, default: Array(repeating: [], count: forces.count)][forceIndex] += line
                    }
                }
                guard inWindow else { continue }
                let stem = "\(monthText(month))/\(monthText(month))-\(slug(force))"
                try write("\(stem)-street.csv", street)
                try write("\(stem)-stop-and-search.csv", Array((stopSearchHeader + stopSearchRows(month, &random)).utf8))
            }
            guard month >= first else { continue }
            // Every earlier month has been generated, so this month's outcomes are complete.
            let rows = pending.removeValue(forKey: month) ?? Array(repeating: [], count: forces.count)
            for (forceIndex, force) in forces.enumerated() {
                try write("\(monthText(month))/\(monthText(month))-\(slug(force))-outcomes.csv",
                          Array(outcomesHeader.utf8) + rows[forceIndex])
            }
        }
    }

    /// One outcome event of a crime.
    struct Event {
        let month: Int
        let category: PoliceUKOutcome
    }

    /// A crime's outcome events, months after it: most are closed by the police within months;
    /// about one in eight is charged and goes to court, whose result comes months later.
    static func journey(type: String, month: Int, last: Int, random: inout SampleRandom) -> [Event] {
        let violent = type == "Violence and sexual offences"
        var events: [Event] = []
        var at = month + random.below(2)
        let roll = random.unit()
        let charged = violent ? 0.08 : (type == "Shoplifting" || type == "Drugs" ? 0.2 : 0.07)
        if roll < charged {
            events.append(Event(month: at, category: random.chance(0.9) ? .suspectCharged : .chargedAsPartOfAnotherCase))
            at += 1 + random.below(3)
            if random.chance(0.3) { events.append(Event(month: at, category: .awaitingCourtOutcome)) }
            if random.chance(0.15) {
                at += 1 + random.below(3)
                events.append(Event(month: at, category: .sentToCrownCourt))
            }
            at += 2 + random.below(8)
            let court: [(PoliceUKOutcome, Double)] = [
                (.sentToPrison, 14), (.suspendedSentence, 10), (.communitySentence, 12), (.fined, 18), (.conditionalDischarge, 7),
                (.absoluteDischarge, 1), (.compensation, 3), (.deprivedOfProperty, 1), (.otherwiseDealtWith, 4),
                (.foundNotGuilty, 12), (.courtCaseUnableToProceed, 10), (.courtResultUnavailable, 8),
            ]
            events.append(Event(month: at, category: court[random.pick(court.map(\.1))].0))
        } else if roll < charged + 0.06 {
            let disposal: [PoliceUKOutcome] = [.caution, .localResolution, .penaltyNotice, .drugsPossessionWarning]
            events.append(Event(month: at + random.below(3), category: disposal[random.pick([5, 6, 2, type == "Drugs" ? 6 : 0.1])]))
        } else if roll < 0.93 {
            let closing: [(PoliceUKOutcome, Double)] = [
                (.noSuspectIdentified, violent ? 20 : 55), (.unableToProsecute, violent ? 60 : 30),
                (.furtherInvestigationNotInPublicInterest, 3), (.formalActionNotInPublicInterest, 2),
                (.furtherActionNotInPublicInterest, 2), (.anotherOrganisation, 3),
            ]
            let category = closing[random.pick(closing.map(\.1))].0
            // Violent and sexual offences take longer to close.
            events.append(Event(month: at + random.below(violent ? 9 : 4), category: category))
        }
        return events
    }

    /// Where a crime happened: coordinates, street, LSOA code and name (London boroughs for the Met).
    struct Place {
        let fields: [String]

        init(force: String, forceIndex: Int, random: inout SampleRandom) {
            let area: String
            if forceIndex == 0 {
                let boroughs = LondonGeography.bcus.flatMap(\.boroughs)
                area = boroughs[random.below(boroughs.count)]
            } else {
                area = PoliceUKSample.areaName(force)
            }
            let lsoa = "\(area) \(PoliceUKSample.zeroPadded(1 + random.below(40), 3))\(["A", "B", "C", "D", "E"][random.below(5)])"
            let longitude = "-" + PoliceUKSample.micro(random.below(3_000_000))
            let latitude = PoliceUKSample.micro(50_500_000 + random.below(3_000_000))
            let street = PoliceUKSample.streets[random.below(PoliceUKSample.streets.count)]
            let code = "E01" + PoliceUKSample.zeroPadded(forceIndex * 1000 + random.below(1000), 6)
            fields = [longitude, latitude, "On or near \(street)", code, lsoa]
        }
    }

    static let streets = ["High Street", "Station Road", "Church Lane", "Park Road", "Victoria Road", "Green Lane", "Manor Road",
                          "Church Street", "Park Avenue", "Queens Road", "The Avenue", "London Road", "Mill Lane", "Kings Road",
                          "Shopping Area", "Supermarket", "Parking Area", "Sports/Recreation Area", "Petrol Station", "Nightclub"]

    /// A local area name for a force outside London (`Kent Police` → `Kent`).
    static func areaName(_ force: String) -> String {
        let words = force.split(separator: " ").filter { !["Police", "Constabulary", "Service", "of"].contains(String($0)) }
        return words.joined(separator: " ")
    }

    /// The force's name as police.uk's file names spell it (`Kent Police` → `kent`, `Devon & Cornwall Police` → `devon-and-cornwall`).
    static func slug(_ force: String) -> String {
        areaName(force).lowercased().replacingOccurrences(of: "&", with: "and").split(separator: " ").joined(separator: "-")
    }

    /// Millionths as a decimal with six places (`51507400` → `51.507400`).
    static func micro(_ millionths: Int) -> String { "\(millionths / 1_000_000).\(zeroPadded(millionths % 1_000_000, 6))" }

    static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func monthText(_ month: Int) -> String { "\(month / 12)-\(DayNumber.twoDigits(month % 12 + 1))" }

    static func crimeId(_ random: inout SampleRandom) -> String {
        (0..<4).map { _ in
            let hex = String(random.next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func row(_ fields: [String]) -> [UInt8] {
        Array((fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n").utf8)
    }

    static func stopSearchRows(_ month: Int, _ random: inout SampleRandom) -> String {
        (0..<(2 + random.below(3))).map { _ in
            "Person search,\(monthText(month))-\(DayNumber.twoDigits(1 + random.below(28)))T12:00:00+00:00,False,,51.5,-0.1,Male,18-24,,,"
                + "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,,False\n"
        }.joined()
    }
}
