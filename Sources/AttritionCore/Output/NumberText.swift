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

    /// A proportion as a percentage with one decimal, `23.2%`, or `–` when there is none. Halves
    /// round away from zero (81.25% shows as 81.3%), the way people round by hand; a negative one
    /// keeps its sign in front (`-0.4%`).
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        let tenths = Int((value * 1000).rounded())
        return "\(tenths < 0 ? "-" : "")\(tenths.magnitude / 10).\(tenths.magnitude % 10)%"
    }
}
