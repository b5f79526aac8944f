/// What to generate: how many cases, from which seed, over which report period.
public struct SampleSpec: Sendable, Equatable {
    /// Number of cases (rows).
    public var cases: Int
    /// The most cases a sample may have (about 100 GB of CSV).
    public static let largest = 1_000_000_000
    /// The random seed: the same seed gives the same bytes.
    public var seed: UInt64
    /// First possible report date.
    public var firstReport: DayNumber
    /// The day the extract was taken: nothing after it has happened yet, so later events leave cases open.
    public var extractDate: DayNumber

    /// A specification; the defaults are those of the shipped sample.
    public init(cases: Int = 40_000, seed: UInt64 = 20_240_930,
                firstReport: DayNumber = DayNumber(year: 2021, month: 4, day: 1)!,
                extractDate: DayNumber = DayNumber(year: 2024, month: 9, day: 30)!) {
        self.cases = cases
        self.seed = seed
        self.firstReport = firstReport
        self.extractDate = extractDate
    }

    /// The shipped sample, `SampleData/london-vawg-sample.csv`.
    public static let shipped = SampleSpec()
    /// The shipped sample's file name.
    public static let shippedFileName = "london-vawg-sample.csv"
}

/// Generates a synthetic London VAWG case-journey file, calibrated to published figures and
/// with documented patterns planted in it (docs/sample-data.md). Deterministic: only integer
/// and basic floating-point arithmetic, no hashing order, no system randomness.
public enum SampleGenerator {
    /// The header line of every generated file.
    public static let header = "case_id,reported_date,crime_type,bcu,borough,victim_sex,victim_age,victim_ethnicity,"
        + "victim_disability,victim_relationship,repeat_victim,referred_date,charged_date,prosecuted_date,"
        + "convicted_date,police_outcome,court_outcome,outcome_date"

    /// The whole file in memory.
    public static func bytes(_ spec: SampleSpec) -> [UInt8] {
        var out: [UInt8] = []
        write(spec) { out.append(contentsOf: $0) }
        return out
    }

    /// Streams the file to `sink` in chunks of about a megabyte.
    public static func write(_ spec: SampleSpec, to sink: ([UInt8]) throws -> Void) rethrows {
        var random = SampleRandom(seed: spec.seed)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 512)
        buffer.append(contentsOf: (header + "\n").utf8)
        let crimeWeights = SampleProfiles.crimes.map(\.share)
        let boroughWeights = SampleProfiles.boroughPopulations.map(\.1)
        let ethnicityWeights = SampleProfiles.ethnicities.map(\.1)
        let span = Int(spec.extractDate.days - spec.firstReport.days)
        for index in 0..<spec.cases {
            let profile = SampleProfiles.crimes[random.pick(crimeWeights)]
            let borough = SampleProfiles.boroughPopulations[random.pick(boroughWeights)].0
            let victim = Victim(profile: profile, random: &random, ethnicityWeights: ethnicityWeights)
            let reported = spec.firstReport.days + Int32(Double(span + 1) * SampleGenerator.growingShare(random.unit()))
            var journey = CasePath(profile: profile, borough: borough, victim: victim,
                                  reported: min(reported, spec.extractDate.days), extract: spec.extractDate.days)
            journey.run(&random)
            let row = [
                caseReference(index + 1), DayNumber(days: journey.reported).iso, profile.name,
                random.chance(0.02) ? "" : (LondonGeography.borough(named: borough)?.bcu ?? ""), borough,
                victim.sex, victim.age, victim.ethnicity, victim.disability, victim.relationship, victim.repeatVictim,
            ] + journey.fields
            buffer.append(contentsOf: row.joined(separator: ",").utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try sink(buffer) }
    }

    /// Where in the report period a case falls, from a uniform draw `u`: volumes grow over the
    /// period, the last day half as likely again as the first (density ∝ 1 + x/2 on [0, 1), by
    /// inverting its distribution function). Every day is as likely as its neighbours, so no date
    /// collects the cases that a clamp would pile on the extract date.
    static func growingShare(_ u: Double) -> Double {
        let slope = 0.5
        return min((-1 + (1 + 2 * slope * u * (1 + slope / 2)).squareRoot()) / slope, 0.999_999_999)
    }

    /// `C0000001`, `C0000002`, ...: seven digits at least.
    private static func caseReference(_ number: Int) -> String {
        let digits = String(number)
        return "C" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    /// The victim columns of one generated case.
    private struct Victim {
        let sex: String, age: String, ageBand: Int, ethnicity: String, disability: String
        let relationship: String, repeatVictim: String

        init(profile: CrimeProfile, random: inout SampleRandom, ethnicityWeights: [Double]) {
            let u = random.unit()
            sex = u < profile.female ? "Female" : u < profile.female + profile.male ? "Male" : random.chance(0.5) ? "Other" : ""
            ageBand = random.pick(profile.ageWeights)
            let range = SampleProfiles.ageRanges[ageBand]
            age = random.chance(0.03) ? "" : String(range.lowerBound + random.below(range.count))
            ethnicity = random.chance(0.08) ? "" : SampleProfiles.ethnicities[random.pick(ethnicityWeights)].0
            let d = random.unit()
            disability = d < 0.14 ? "Yes" : d < 0.86 ? "No" : ""
            relationship = profile.relationships[random.pick(profile.relationships.map(\.1))].0
            let r = random.unit()
            repeatVictim = r < 0.1 ? "" : random.chance(profile.repeatShare) ? "Yes" : "No"
        }
    }

    /// One case's way through the stages, with the planted patterns applied and every event
    /// after the extract date left unhappened (the case is then open).
    private struct CasePath {
        let profile: CrimeProfile, borough: String, victim: Victim
        let reported: Int32, extract: Int32
        var referred = "", charged = "", prosecuted = "", convicted = "", police = "", court = "", closed = ""

        init(profile: CrimeProfile, borough: String, victim: Victim, reported: Int32, extract: Int32) {
            self.profile = profile
            self.borough = borough
            self.victim = victim
            self.reported = reported
            self.extract = extract
        }

        var fields: [String] { [referred, charged, prosecuted, convicted, police, court, closed] }

        private var isRape: Bool { profile.name == "Rape" }
        private var isSexualOffence: Bool { isRape || profile.name == "Other sexual offences" }
        /// Pattern 1: rape victims in North East BCU withdraw support after report far more often.
        private var withdrawalHotspot: Bool { isRape && LondonGeography.borough(named: borough)?.bcu == "North East" }

        private func date(_ days: Int32) -> String { DayNumber(days: days).iso }

        mutating func run(_ random: inout SampleRandom) {
            var referRate = profile.refer
            if withdrawalHotspot { referRate *= 0.45 }
            // Pattern 3: cases of disabled victims are referred less often.
            if victim.disability == "Yes" { referRate *= 0.75 }
            // Pattern 4: repeat victims of domestic abuse withdraw more often.
            if profile.name == "Domestic abuse", victim.repeatVictim == "Yes" { referRate *= 0.8 }

            let referDay = reported + random.lag(profile.referLag)
            guard random.chance(referRate) else {
                let closeDay = reported + random.lag(profile.closeLag)
                if closeDay <= extract {
                    police = String(policeDropReason(&random))
                    closed = date(closeDay)
                }
                return
            }
            guard referDay <= extract else { return }
            referred = date(referDay)

            var chargeRate = profile.charge
            // Pattern 2: sexual offences against victims aged 18-24 are charged less often after referral.
            if isSexualOffence, victim.ageBand == 1 { chargeRate *= 0.7 }
            // Pattern 5: rape charging improves from mid-2022 (a visible trend by quarter).
            if isRape, reported >= DayNumber(year: 2022, month: 7, day: 1)!.days { chargeRate = min(0.9, chargeRate * 1.25) }
            let chargeDay = referDay + random.lag(profile.chargeLag)
            guard chargeDay <= extract else { return }
            guard random.chance(chargeRate) else {
                police = random.chance(0.75) ? "15" : random.chance(0.6) ? "16" : "9"
                closed = date(chargeDay)
                return
            }
            // Most forces record outcome 1 on charge; some leave it to the charge date.
            if random.chance(0.75) { police = "1" }
            // A few records lack the charge date although the case went to court (a data gap the rules absorb).
            let recordCharge = !random.chance(0.02)
            if recordCharge { charged = date(chargeDay) }

            let hearingDay = chargeDay + random.lag(profile.hearingLag)
            guard hearingDay <= extract else {
                if !recordCharge { charged = date(chargeDay) }
                return
            }
            guard random.chance(profile.prosecute) else {
                if !recordCharge { charged = date(chargeDay) }
                court = "discontinued"
                closed = date(hearingDay)
                return
            }
            prosecuted = date(hearingDay)

            let verdictDay = hearingDay + random.lag(profile.verdictLag)
            guard verdictDay <= extract else { return }
            closed = date(verdictDay)
            if random.chance(profile.convict) {
                court = "convicted"
                if !random.chance(0.03) { convicted = date(verdictDay) }
            } else {
                court = random.chance(0.65) ? "acquitted" : "discontinued"
            }
        }

        private func policeDropReason(_ random: inout SampleRandom) -> Int {
            if withdrawalHotspot, random.chance(0.65) { return 16 }
            return profile.policeDropReasons[random.pick(profile.policeDropReasons.map(\.1))].0
        }
    }
}

/// SplitMix64: a small, fast generator whose output depends only on the seed.
public struct SampleRandom {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An index drawn in proportion to `weights`.
    mutating func pick(_ weights: [Double]) -> Int {
        var target = unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// A right-skewed delay in days around `typical`: the product of a sum of two uniforms and a
    /// uniform from 0.5 to 1.5 (mean `typical`, long tail to three times it).
    mutating func lag(_ typical: Double) -> Int32 {
        Int32(max(1, typical * (unit() + unit()) * (0.5 + unit())))
    }
}
