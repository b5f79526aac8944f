/// The final result of a case after charge, from the `court_outcome` column.
public enum CourtOutcome: String, CaseIterable, Sendable {
    case convicted, acquitted, discontinued, other
}
