/// How text is drawn: the terminal layer maps these to ncurses attributes, the memory screen records them.
public struct TextStyle: Equatable, Sendable {
    /// Bold text.
    public var bold = false
    /// Foreground and background swapped (selection).
    public var reverse = false
    /// Dimmed text (secondary information).
    public var dim = false
    /// A colour role, shown only where the terminal has colour and `NO_COLOR` is unset.
    public var colour: ColourRole?

    /// Plain text.
    public static let plain = TextStyle()

    /// A style with the given attributes.
    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, colour: ColourRole? = nil) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.colour = colour
    }
}

/// What a colour means, so views never name raw colours.
public enum ColourRole: Int, CaseIterable, Sendable {
    /// Headings and the active item.
    case accent = 1
    /// A rate significantly below the rest.
    case low
    /// A rate significantly above the rest.
    case high
    /// Bars in charts.
    case bar
}

/// A grid of character cells that views draw into. Rows and columns count from 0; text that
/// runs past the right edge or below the bottom is cut off.
public protocol Screen: AnyObject {
    /// Current size in rows and columns.
    var size: (rows: Int, columns: Int) { get }
    /// Blanks every cell.
    func clear()
    /// Draws `text` from `row`, `column`, one cell per character.
    func put(_ text: String, row: Int, column: Int, style: TextStyle)
    /// Shows what has been drawn since the last call.
    func present()
    /// Puts `text` on the clipboard of the terminal the user sits at, where it can (OSC 52).
    func copyToClipboard(_ text: String)
}

extension Screen {
    /// Draws plain text.
    public func put(_ text: String, row: Int, column: Int) { put(text, row: row, column: column, style: .plain) }
}
