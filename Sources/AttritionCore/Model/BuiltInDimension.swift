/// The dimensions every case table has (docs/contracts/case-journey-format.md, section 5), besides a file's extra columns.
public enum BuiltInDimension: String, CaseIterable, Sendable {
    /// The dimension `crime_type`.
    case crimeType = "crime_type"
    /// The dimension `bcu`.
    case bcu
    /// The dimension `borough`.
    case borough
    /// The dimension `victim_sex`.
    case victimSex = "victim_sex"
    /// The dimension `victim_age_band`.
    case victimAgeBand = "victim_age_band"
    /// The dimension `victim_ethnicity`.
    case victimEthnicity = "victim_ethnicity"
    /// The dimension `victim_disability`.
    case victimDisability = "victim_disability"
    /// The dimension `victim_relationship`.
    case victimRelationship = "victim_relationship"
    /// The dimension `repeat_victim`.
    case repeatVictim = "repeat_victim"
    /// The dimension `reported_year`.
    case reportedYear = "reported_year"
    /// The dimension `reported_quarter`.
    case reportedQuarter = "reported_quarter"
    /// The dimension `reported_month`.
    case reportedMonth = "reported_month"

    /// A heading for people.
    public var title: String {
        switch self {
        case .crimeType: "Crime type"
        case .bcu: "BCU"
        case .borough: "Borough"
        case .victimSex: "Victim sex"
        case .victimAgeBand: "Victim age"
        case .victimEthnicity: "Victim ethnicity"
        case .victimDisability: "Victim disability"
        case .victimRelationship: "Relationship to suspect"
        case .repeatVictim: "Repeat victim"
        case .reportedYear: "Year reported"
        case .reportedQuarter: "Quarter reported"
        case .reportedMonth: "Month reported"
        }
    }
}
