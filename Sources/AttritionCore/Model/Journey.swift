/// What one row says about a case's journey, before the contract's stage rules are applied.
public struct JourneyFacts: Equatable, Sendable {
    /// A `referred_date` is present.
    public var hasReferredDate = false
    /// A `charged_date` is present.
    public var hasChargedDate = false
    /// A `prosecuted_date` is present.
    public var hasProsecutedDate = false
    /// A `convicted_date` is present.
    public var hasConvictedDate = false
    /// The Home Office outcome, if the row gives one.
    public var police: PoliceOutcome?
    /// The court result, if the row gives one.
    public var court: CourtOutcome?

    /// Facts with nothing known beyond the report.
    public init() {}
}

/// The rules of docs/contracts/case-journey-format.md, sections 2 and 3, for a case's furthest stage and whether it is open.
public enum Journey {
    /// The furthest stage a case reached. The funnel never widens: reaching a stage implies every earlier one.
    public static func furthestStage(_ facts: JourneyFacts) -> Stage {
        let convicted = facts.hasConvictedDate || facts.court == .convicted
        if convicted { return .convicted }
        let prosecuted = facts.hasProsecutedDate || facts.court == .acquitted
        if prosecuted { return .prosecuted }
        let charged = facts.hasChargedDate || facts.police == .chargedOrSummonsed
        if charged { return .charged }
        return facts.hasReferredDate ? .referred : .reported
    }

    /// Where the case stands at its furthest stage.
    ///
    /// A court result other than conviction closes the case; otherwise a Home Office outcome other
    /// than 1 closes it; otherwise it is open. When both are given, the court result wins, since it
    /// comes later in the journey.
    public static func outcome(_ facts: JourneyFacts) -> CaseOutcome {
        if furthestStage(facts) == .convicted { return .convicted }
        if let court = facts.court, court != .convicted { return .court(court) }
        if let police = facts.police, police != .chargedOrSummonsed { return .police(police) }
        return .open
    }
}
