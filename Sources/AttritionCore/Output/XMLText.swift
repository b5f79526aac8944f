/// Text made safe inside an XML element or attribute (workbook parts, SVG figures): control
/// characters sanitised as everywhere else, and `&`, `<`, `>` and `"` as entities.
enum XMLText {
    /// `text`, sanitised and escaped.
    static func escaped(_ text: String) -> String {
        DisplayText.sanitized(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
