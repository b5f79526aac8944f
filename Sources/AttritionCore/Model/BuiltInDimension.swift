/// The dimensions every case table has (contract section 5), besides a file's extra columns.
public enum BuiltInDimension: String, CaseIterable, Sendable {
    case crimeType = "crime_type"
    case bcu, borough
    case victimSex = "victim_sex"
    case victimAgeBand = "victim_age_band"
    case victimEthnicity = "victim_ethnicity"
    case victimDisability = "victim_disability"
    case victimRelationship = "victim_relationship"
    case repeatVictim = "repeat_victim"
    case reportedYear = "reported_year"
    case reportedQuarter = "reported_quarter"
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
