/// An outcome category of police.uk's open data, with the stage it names, whether the case is
/// still open there, and the drop-off group it belongs to (docs/contracts/police-uk.md, section 5).
public enum PoliceUKOutcome: Int, CaseIterable, Sendable {
    case underInvestigation, statusUpdateUnavailable, noSuspectIdentified, unableToProsecute,
         formalActionNotInPublicInterest, furtherInvestigationNotInPublicInterest, furtherActionNotInPublicInterest,
         anotherOrganisation, caution, drugsPossessionWarning, penaltyNotice, localResolution,
         suspectCharged, chargedAsPartOfAnotherCase, awaitingCourtOutcome, courtCaseUnableToProceed,
         courtResultUnavailable, sentToCrownCourt, foundNotGuilty,
         sentToPrison, suspendedSentence, communitySentence, fined, conditionalDischarge, absoluteDischarge,
         compensation, deprivedOfProperty, otherwiseDealtWith

    /// The category as police.uk words it.
    public var title: String { PoliceUKOutcome.titles[rawValue] }

    /// The category in a few words, for a narrow screen's lists and legends.
    public var shortTitle: String {
        switch self {
        case .noSuspectIdentified: "No suspect identified"
        case .unableToProsecute: "Unable to prosecute"
        case .formalActionNotInPublicInterest: "Formal action not in public int."
        case .furtherInvestigationNotInPublicInterest: "Investigation not in public int."
        case .furtherActionNotInPublicInterest: "Further action not in public int."
        case .anotherOrganisation: "Another organisation to act"
        case .drugsPossessionWarning: "Drugs possession warning"
        case .chargedAsPartOfAnotherCase: "Charged in another case"
        default:
            title.hasPrefix("Offender given ") ? String(title.dropFirst("Offender given ".count)).capitalisingFirst
                : title.hasPrefix("Offender ") ? String(title.dropFirst("Offender ".count)).capitalisingFirst : title
        }
    }

    /// The stage the category shows the case reached.
    public var stage: Stage {
        switch self {
        case .suspectCharged, .chargedAsPartOfAnotherCase, .awaitingCourtOutcome, .courtCaseUnableToProceed,
             .courtResultUnavailable: .charged
        case .sentToCrownCourt, .foundNotGuilty: .prosecuted
        case .sentToPrison, .suspendedSentence, .communitySentence, .fined, .conditionalDischarge, .absoluteDischarge,
             .compensation, .deprivedOfProperty, .otherwiseDealtWith: .convicted
        default: .reported
        }
    }

    /// Where a case stands when this category decides it: open, closed (with this category as the reason) or convicted.
    public var caseOutcome: CaseOutcome {
        if stage == .convicted { return .convicted }
        return reasonGroup == nil ? .open : .policeUK(self)
    }

    /// The drop-off group of a closing category; nil for open and convicting ones.
    public var reasonGroup: PoliceUKReasonGroup? {
        switch self {
        case .noSuspectIdentified: .noSuspectIdentified
        case .unableToProsecute: .evidentialDifficulties
        case .formalActionNotInPublicInterest, .furtherInvestigationNotInPublicInterest, .furtherActionNotInPublicInterest:
            .notInPublicInterest
        case .anotherOrganisation: .anotherBody
        case .caution, .drugsPossessionWarning, .penaltyNotice, .localResolution: .outOfCourtDisposal
        case .courtCaseUnableToProceed: .discontinued
        case .courtResultUnavailable: .courtResultUnavailable
        case .foundNotGuilty: .acquitted
        default: nil
        }
    }

    /// The categories that close a case short of conviction, in table order: each is stored as one outcome code.
    public static let closing: [PoliceUKOutcome] = allCases.filter { $0.reasonGroup != nil }

    /// The category with this text, matched case-insensitively after trimming (runs of spaces folded).
    public init?(text: String) {
        guard let found = PoliceUKOutcome.byKey[PoliceUKOutcome.key(text)] else { return nil }
        self = found
    }

    private static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static let byKey: [String: PoliceUKOutcome] =
        Dictionary(uniqueKeysWithValues: allCases.map { (key($0.title), $0) })

    private static let titles = [
        "Under investigation", "Status update unavailable", "Investigation complete; no suspect identified",
        "Unable to prosecute suspect", "Formal action is not in the public interest",
        "Further investigation is not in the public interest", "Further action is not in the public interest",
        "Action to be taken by another organisation", "Offender given a caution", "Offender given a drugs possession warning",
        "Offender given penalty notice", "Local resolution", "Suspect charged", "Suspect charged as part of another case",
        "Awaiting court outcome", "Court case unable to proceed", "Court result unavailable", "Defendant sent to Crown Court",
        "Defendant found not guilty", "Offender sent to prison", "Offender given suspended prison sentence",
        "Offender given community sentence", "Offender fined", "Offender given conditional discharge",
        "Offender given absolute discharge", "Offender ordered to pay compensation", "Offender deprived of property",
        "Offender otherwise dealt with",
    ]
}

/// The drop-off groups of police.uk's closing categories (docs/contracts/police-uk.md, section 5).
public enum PoliceUKReasonGroup: Int, CaseIterable, Sendable {
    case noSuspectIdentified, evidentialDifficulties, notInPublicInterest, anotherBody, outOfCourtDisposal,
         discontinued, courtResultUnavailable, acquitted

    /// The group's name for tables.
    public var name: String {
        switch self {
        case .noSuspectIdentified: "No suspect identified"
        case .evidentialDifficulties: "Evidential difficulties"
        case .notInPublicInterest: "Not in the public interest"
        case .anotherBody: "Another body"
        case .outOfCourtDisposal: "Out-of-court disposal"
        case .discontinued: "Discontinued"
        case .courtResultUnavailable: "Court result unavailable"
        case .acquitted: "Acquitted"
        }
    }
}

extension String {
    /// The string with its first letter in capitals.
    var capitalisingFirst: String { prefix(1).uppercased() + dropFirst() }
}
