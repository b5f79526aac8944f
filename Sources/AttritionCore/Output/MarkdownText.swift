/// Text made safe for a Markdown file: shown as written, never run or followed.
public enum MarkdownText {
    /// `text` sanitised, with HTML's `&`, `<` and `>` as entities and every character Markdown
    /// gives a meaning (emphasis, links, images, code, headings, tables) escaped with a backslash,
    /// so a label such as `<img onerror=…>` or `[click](javascript:…)` reads as text in any renderer.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in DisplayText.sanitized(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "(", ")", "!", "#", "|", "~", "{", "}": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }
}
