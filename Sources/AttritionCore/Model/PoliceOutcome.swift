/// A Home Office crime outcome code (1 to 22) with its official name.
public struct PoliceOutcome: Hashable, Sendable {
    /// The code, 1 to 22.
    public let code: Int

    /// Outcome 1, the one that moves a case on rather than closing it.
    public static let chargedOrSummonsed = PoliceOutcome(uncheckedCode: 1)

    private init(uncheckedCode: Int) { code = uncheckedCode }

    /// The outcome with this code, or nil outside 1...22.
    public init?(code: Int) {
        guard PoliceOutcome.names.indices.contains(code - 1) else { return nil }
        self.code = code
    }

    /// The official name of the outcome, as the Home Office outcomes framework words it.
    public var name: String { PoliceOutcome.names[code - 1] }

    /// A short name that fits a narrow screen (the official `name` goes on detail lines and in help).
    public var shortName: String { PoliceOutcome.shortNames[code - 1] }

    /// Every outcome, in code order.
    public static let all: [PoliceOutcome] = (1...22).map { PoliceOutcome(uncheckedCode: $0) }

    /// Short names by code (index 0 is code 1), each at most 34 characters.
    static let shortNames: [String] = [
        "Charged/summonsed", "Youth caution", "Adult caution", "Taken into consideration", "Offender died",
        "Penalty notice for disorder", "Cannabis/khat warning", "Community resolution", "Not in public interest (CPS)",
        "Not in public interest (police)", "Suspect under age", "Suspect too ill", "Victim or witness dead or ill",
        "Evidence: no suspect, no support", "Evidence: victim supports", "Evidence: victim does not support",
        "Time limit expired", "No suspect identified", "NFIB: no opportunity", "Another body to act",
        "Further work not in public interest", "Diversion or intervention",
    ]

    /// Official names by code (index 0 is code 1).
    static let names: [String] = [
        "Charged/summonsed",
        "Caution – youths",
        "Caution – adults",
        "Taken into consideration",
        "The offender has died",
        "Penalty Notice for Disorder",
        "Cannabis/Khat warning",
        "Community resolution",
        "Prosecution not in the public interest (CPS decision)",
        "Formal action against the offender is not in the public interest (police decision)",
        "Prosecution prevented – suspect under the age of criminal responsibility",
        "Prosecution prevented – suspect too ill to prosecute",
        "Prosecution prevented – victim or key witness dead or too ill to give evidence",
        "Evidential difficulties: suspect not identified; victim does not support further action",
        "Evidential difficulties: suspect identified; victim supports action",
        "Evidential difficulties: suspect identified; victim does not support further action",
        "Prosecution time limit expired",
        "Investigation complete – no suspect identified",
        "National Fraud Intelligence Bureau filed – no investigative opportunity",
        "Further action will be undertaken by another body or agency",
        "Further investigation to support formal action not in the public interest – police decision",
        "Diversionary, educational or intervention activity; further action not in the public interest",
    ]
}
