/// The published-figure calibration behind the synthetic sample (docs/sample-data.md gives
/// each figure's source). Shares are relative weights; rates are eventual probabilities before
/// censoring at the extract date.
struct CrimeProfile: Sendable {
    let name: String
    /// Share of all VAWG cases.
    let share: Double
    /// Share of victims recorded female, and male (the rest are `Other` or not recorded).
    let female: Double, male: Double
    /// Weights over the standard age bands, youngest first.
    let ageWeights: [Double]
    /// Relationship of suspect to victim, with weights.
    let relationships: [(String, Double)]
    /// Share of victims who reported before in the past 12 months.
    let repeatShare: Double
    /// Step probabilities: reported → referred → charged → prosecuted → convicted.
    let refer: Double, charge: Double, prosecute: Double, convict: Double
    /// Home Office outcome codes closing cases before referral, with weights.
    let policeDropReasons: [(Int, Double)]
    /// Typical days from report to referral, referral to charge, charge to first hearing,
    /// first hearing to verdict, and report to a police decision to take no further action.
    let referLag: Double, chargeLag: Double, hearingLag: Double, verdictLag: Double, closeLag: Double
}

enum SampleProfiles {
    static let crimes: [CrimeProfile] = [
        CrimeProfile(
            name: "Domestic abuse", share: 0.60, female: 0.73, male: 0.26,
            ageWeights: [0.04, 0.17, 0.33, 0.24, 0.13, 0.06, 0.03],
            relationships: [("Partner or ex-partner", 0.72), ("Family", 0.26), ("Acquaintance", 0.02)],
            repeatShare: 0.45, refer: 0.092, charge: 0.70, prosecute: 0.92, convict: 0.78,
            policeDropReasons: [(16, 0.55), (15, 0.24), (14, 0.07), (18, 0.03), (21, 0.05), (10, 0.03), (20, 0.03)],
            referLag: 28, chargeLag: 6, hearingLag: 21, verdictLag: 110, closeLag: 35),
        CrimeProfile(
            name: "Harassment", share: 0.15, female: 0.68, male: 0.30,
            ageWeights: [0.08, 0.16, 0.27, 0.22, 0.15, 0.08, 0.04],
            relationships: [("Partner or ex-partner", 0.30), ("Acquaintance", 0.40), ("Family", 0.10), ("Stranger", 0.20)],
            repeatShare: 0.25, refer: 0.05, charge: 0.65, prosecute: 0.93, convict: 0.78,
            policeDropReasons: [(16, 0.40), (15, 0.28), (14, 0.10), (18, 0.12), (21, 0.06), (10, 0.04)],
            referLag: 40, chargeLag: 10, hearingLag: 28, verdictLag: 120, closeLag: 45),
        CrimeProfile(
            name: "Other sexual offences", share: 0.09, female: 0.84, male: 0.15,
            ageWeights: [0.38, 0.20, 0.17, 0.11, 0.08, 0.04, 0.02],
            relationships: [("Stranger", 0.40), ("Acquaintance", 0.33), ("Family", 0.12), ("Partner or ex-partner", 0.10), ("Unknown", 0.05)],
            repeatShare: 0.15, refer: 0.09, charge: 0.70, prosecute: 0.94, convict: 0.80,
            policeDropReasons: [(15, 0.34), (16, 0.30), (18, 0.16), (14, 0.10), (21, 0.05), (11, 0.05)],
            referLag: 120, chargeLag: 45, hearingLag: 30, verdictLag: 200, closeLag: 110),
        CrimeProfile(
            name: "Stalking", share: 0.08, female: 0.80, male: 0.19,
            ageWeights: [0.05, 0.20, 0.32, 0.22, 0.13, 0.06, 0.02],
            relationships: [("Partner or ex-partner", 0.48), ("Acquaintance", 0.34), ("Stranger", 0.12), ("Family", 0.06)],
            repeatShare: 0.35, refer: 0.07, charge: 0.70, prosecute: 0.93, convict: 0.75,
            policeDropReasons: [(16, 0.45), (15, 0.30), (14, 0.08), (18, 0.07), (21, 0.06), (10, 0.04)],
            referLag: 60, chargeLag: 14, hearingLag: 28, verdictLag: 150, closeLag: 60),
        CrimeProfile(
            name: "Rape", share: 0.07, female: 0.90, male: 0.09,
            ageWeights: [0.30, 0.22, 0.22, 0.13, 0.08, 0.03, 0.02],
            relationships: [("Partner or ex-partner", 0.35), ("Acquaintance", 0.36), ("Stranger", 0.14), ("Family", 0.10), ("Unknown", 0.05)],
            repeatShare: 0.20, refer: 0.064, charge: 0.62, prosecute: 0.93, convict: 0.55,
            policeDropReasons: [(16, 0.40), (15, 0.35), (14, 0.08), (18, 0.07), (21, 0.05), (10, 0.05)],
            referLag: 210, chargeLag: 90, hearingLag: 30, verdictLag: 480, closeLag: 160),
        CrimeProfile(
            name: "Honour-based abuse", share: 0.01, female: 0.85, male: 0.15,
            ageWeights: [0.22, 0.30, 0.28, 0.12, 0.05, 0.02, 0.01],
            relationships: [("Family", 0.80), ("Partner or ex-partner", 0.18), ("Acquaintance", 0.02)],
            repeatShare: 0.40, refer: 0.12, charge: 0.55, prosecute: 0.90, convict: 0.65,
            policeDropReasons: [(16, 0.55), (15, 0.25), (14, 0.05), (21, 0.10), (20, 0.05)],
            referLag: 90, chargeLag: 30, hearingLag: 30, verdictLag: 240, closeLag: 90),
    ]

    /// London boroughs with their usual resident population in thousands (Census 2021, rounded).
    static let boroughPopulations: [(String, Double)] = [
        ("Westminster", 205), ("Kensington and Chelsea", 144), ("Hammersmith and Fulham", 183),
        ("Camden", 210), ("Islington", 217), ("Hackney", 259), ("Tower Hamlets", 311),
        ("Lambeth", 317), ("Southwark", 307), ("Enfield", 330), ("Haringey", 264),
        ("Newham", 351), ("Waltham Forest", 279), ("Barking and Dagenham", 219), ("Havering", 262),
        ("Redbridge", 311), ("Bexley", 246), ("Greenwich", 289), ("Lewisham", 300),
        ("Bromley", 330), ("Croydon", 391), ("Sutton", 209), ("Kingston upon Thames", 168),
        ("Merton", 215), ("Richmond upon Thames", 195), ("Wandsworth", 328), ("Ealing", 367),
        ("Hillingdon", 306), ("Hounslow", 288), ("Barnet", 389), ("Brent", 339), ("Harrow", 261),
    ]

    /// London's ethnic groups (Census 2021, high-level groups, percent).
    static let ethnicities: [(String, Double)] = [
        ("White", 53.8), ("Asian", 20.7), ("Black", 13.5), ("Mixed", 5.7), ("Other", 6.3),
    ]

    /// Ages drawn within each standard band (inclusive).
    static let ageRanges: [ClosedRange<Int>] = [10...17, 18...24, 25...34, 35...44, 45...54, 55...64, 65...89]
}
