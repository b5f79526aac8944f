/// One of the five ordered stages of a case's journey through the justice system.
public enum Stage: Int, CaseIterable, Comparable, Sendable, Codable {
    /// Reported to or recorded by the police.
    case reported
    /// Referred to the CPS for a charging decision.
    case referred
    /// Suspect charged or summonsed.
    case charged
    /// First hearing at court.
    case prosecuted
    /// Convicted by plea or verdict.
    case convicted

    /// The stage's name as used in files, headers and JSON (`reported`, `referred`, ...).
    public var name: String {
        switch self {
        case .reported: "reported"
        case .referred: "referred"
        case .charged: "charged"
        case .prosecuted: "prosecuted"
        case .convicted: "convicted"
        }
    }

    /// A capitalised name for people (`Referred to CPS`, ...).
    public var title: String {
        switch self {
        case .reported: "Reported"
        case .referred: "Referred to CPS"
        case .charged: "Charged"
        case .prosecuted: "Prosecuted"
        case .convicted: "Convicted"
        }
    }

    /// The stage with the given lower-case name, if any.
    public init?(name: String) {
        guard let stage = Stage.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = stage
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
}
