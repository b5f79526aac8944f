/// The final result of a case after charge, from the `court_outcome` column.
public enum CourtOutcome: String, CaseIterable, Sendable {
    /// Convicted by plea or verdict.
    case convicted
    /// Acquitted at court.
    case acquitted
    /// Discontinued after charge.
    case discontinued
    /// Another final result.
    case other
}
