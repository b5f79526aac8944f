/// Numbers as people read them in tables.
public enum NumberText {
    /// A whole number with thousands separated by commas: `12,345`.
    public static func thousands(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (index, char) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(char)
        }
        return out
    }
}
