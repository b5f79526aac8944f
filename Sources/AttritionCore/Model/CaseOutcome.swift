/// Where a case stands at its furthest stage: still open, convicted, or closed for a reason.
///
/// Stored as one byte per case: 0 is open, 1–22 are Home Office outcome codes, then the court
/// results and conviction, then police.uk's closing categories.
public enum CaseOutcome: Hashable, Sendable {
    /// Still under investigation, awaiting a decision or awaiting court: not attrition.
    case open
    /// Closed by the police with a Home Office outcome other than 1.
    case police(PoliceOutcome)
    /// Closed after charge: acquitted, discontinued or another final court result.
    case court(CourtOutcome)
    /// Convicted: the end of the journey.
    case convicted
    /// Closed short of conviction with a police.uk outcome category (open data has no Home Office codes).
    case policeUK(PoliceUKOutcome)

    /// Number of distinct byte codes (`0..<codeCount`).
    public static let codeCount = 27 + PoliceUKOutcome.closing.count

    /// The byte stored for this outcome.
    public var code: UInt8 {
        switch self {
        case .open: 0
        case .police(let outcome): UInt8(outcome.code)
        case .court(.acquitted): 23
        case .court(.discontinued): 24
        case .court(.other): 25
        case .court(.convicted), .convicted: 26
        case .policeUK(let category): UInt8(27 + (PoliceUKOutcome.closing.firstIndex(of: category) ?? 0))
        }
    }

    /// The outcome stored as `code`.
    public init(code: UInt8) {
        switch code {
        case 0: self = .open
        case 1...22: self = .police(PoliceOutcome(code: Int(code))!)
        case 23: self = .court(.acquitted)
        case 24: self = .court(.discontinued)
        case 25: self = .court(.other)
        case 26: self = .convicted
        default: self = .policeUK(PoliceUKOutcome.closing[Int(code) - 27])
        }
    }

    /// True for a closed case that did not end in conviction: a drop-off.
    public var isDropOff: Bool {
        switch self {
        case .open, .convicted: false
        case .police, .court, .policeUK: true
        }
    }

    /// The name in a few words for lists on a narrow screen: `16 Evidence: victim does not support`.
    public var shortName: String {
        switch self {
        case .police(let outcome): "\(outcome.code) \(outcome.shortName)"
        case .policeUK(let category): category.shortTitle
        default: name
        }
    }

    /// A short description for tables and exports.
    public var name: String {
        switch self {
        case .open: "Open"
        case .police(let outcome): "Outcome \(outcome.code): \(outcome.name)"
        case .court(.acquitted): "Acquitted"
        case .court(.discontinued): "Discontinued"
        case .court(.other): "Other court result"
        case .court(.convicted), .convicted: "Convicted"
        case .policeUK(let category): category.title
        }
    }
}
