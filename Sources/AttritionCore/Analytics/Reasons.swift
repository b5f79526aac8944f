/// Drop-off reasons grouped as analysts group them: the Home Office outcomes that matter most
/// for VAWG cases in groups of their own, every other outcome by name, then court results.
public enum ReasonGroup: Hashable, Comparable, Sendable {
    /// Outcomes 14 and 16: evidential difficulties where the victim does not support action.
    case victimDoesNotSupport
    /// Outcome 15: the victim supports action but the evidence is insufficient.
    case evidenceInsufficient
    /// Outcome 18: no suspect identified.
    case noSuspect
    /// Outcome 21: further investigation not in the public interest.
    case notInPublicInterest
    /// Any other Home Office outcome, by its code.
    case otherOutcome(Int)
    /// Discontinued after charge.
    case discontinued
    /// Acquitted at court.
    case acquitted
    /// Another final court result.
    case otherCourt
    /// A police.uk closing category, shown within its group.
    case policeUK(PoliceUKOutcome)

    /// The group a closing outcome belongs to; nil for open and convicted cases.
    public init?(_ outcome: CaseOutcome) {
        switch outcome {
        case .open, .convicted, .court(.convicted): return nil
        case .police(let police):
            switch police.code {
            case 14, 16: self = .victimDoesNotSupport
            case 15: self = .evidenceInsufficient
            case 18: self = .noSuspect
            case 21: self = .notInPublicInterest
            default: self = .otherOutcome(police.code)
            }
        case .court(.discontinued): self = .discontinued
        case .court(.acquitted): self = .acquitted
        case .court(.other): self = .otherCourt
        case .policeUK(let category): self = .policeUK(category)
        }
    }

    /// The name in a few words, for a narrow screen's legends.
    public var shortName: String {
        switch self {
        case .victimDoesNotSupport: "Victim does not support (14, 16)"
        case .evidenceInsufficient: "Evidence insufficient (15)"
        case .noSuspect: "No suspect (18)"
        case .notInPublicInterest: "Not in public interest (21)"
        case .otherOutcome(let code): "\(code) \(PoliceOutcome(code: code)?.shortName ?? "")"
        case .discontinued, .acquitted, .otherCourt: name
        case .policeUK(let category): category.shortTitle
        }
    }

    /// A name for tables.
    public var name: String {
        switch self {
        case .victimDoesNotSupport: "Victim does not support action (14, 16)"
        case .evidenceInsufficient: "Victim supports, evidence insufficient (15)"
        case .noSuspect: "No suspect identified (18)"
        case .notInPublicInterest: "Not in the public interest (21)"
        case .otherOutcome(let code): "Outcome \(code): \(PoliceOutcome(code: code)?.name ?? "")"
        case .discontinued: "Discontinued"
        case .acquitted: "Acquitted"
        case .otherCourt: "Other court result"
        case .policeUK(let category): "\(category.reasonGroup?.name ?? ""): \(category.title)"
        }
    }

    private var rank: Int {
        switch self {
        case .victimDoesNotSupport: 0
        case .evidenceInsufficient: 1
        case .noSuspect: 2
        case .notInPublicInterest: 3
        case .otherOutcome(let code): 10 + code
        case .discontinued: 100
        case .acquitted: 101
        case .otherCourt: 102
        case .policeUK(let category): 200 + (category.reasonGroup?.rawValue ?? 0) * 100 + category.rawValue
        }
    }

    public static func < (lhs: ReasonGroup, rhs: ReasonGroup) -> Bool { lhs.rank < rhs.rank }
}

/// How the cases closed at one stage divide between reason groups.
public struct ReasonMix: Sendable {
    /// The stage the cases stopped at.
    public let stage: Stage
    /// Cases closed at the stage, the denominator of every share.
    public let closed: Int
    /// Cases still open at the stage (not attrition, shown apart).
    public let open: Int
    /// Count per reason group, in the groups' order; groups with no case are left out.
    public let counts: [(reason: ReasonGroup, count: Int)]

    /// The reason's share of closed cases.
    public func share(of reason: ReasonGroup) -> Proportion {
        Proportion(counts.first { $0.reason == reason }?.count ?? 0, of: closed)
    }
}

/// Reason mixes: pure functions of funnel counts.
public enum ReasonAnalysis {
    /// The reason mix of the cases in `counts` that stopped at `stage`.
    public static func mix(_ counts: StageCounts, at stage: Stage) -> ReasonMix {
        var byReason: [ReasonGroup: Int] = [:]
        for (outcome, count) in counts.dropOffReasons(at: stage) {
            if let reason = ReasonGroup(outcome) { byReason[reason, default: 0] += count }
        }
        return ReasonMix(stage: stage, closed: counts.droppedOff(at: stage), open: counts.open(at: stage),
                         counts: byReason.keys.sorted().map { ($0, byReason[$0]!) })
    }
}
