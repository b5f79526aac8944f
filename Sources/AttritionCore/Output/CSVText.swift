import Foundation

/// Writing CSV cells that are safe to open in a spreadsheet.
public enum CSVText {
    /// One CSV line (without its line end) from `cells`, quoted where needed.
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",")
    }

    /// A text cell: control characters made visible, a leading `=`, `+`, `-`, `@` neutralised with a `'` so no spreadsheet runs it as a formula, and quoted
    /// when it holds a comma, quote or line break.
    public static func cell(_ text: String) -> String {
        var value = DisplayText.sanitized(text)
        if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
