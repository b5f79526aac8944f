import CNcurses
import CSignals
import Foundation

/// The real terminal, through ncursesw. Create one for the life of the interface; `end()` (or
/// deinit) restores the terminal, and every signal that ends the process restores it first (CSignals).
public final class NcursesScreen: Screen {
    private let colour: Bool
    private var ended = false

    /// Takes over the terminal. `mouse` turns on click reporting; `colour` is used only where the
    /// terminal has colours and `NO_COLOR` is unset.
    public init(mouse: Bool, colour: Bool) {
        setlocale(LC_ALL, "")
        // Every signal that ends the process gives the terminal back first.
        cs_set_terminal_restorer { cn_restore_terminal() }
        cs_install_handlers()
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        // Home, End and the page keys as tmux, screen and rxvt send them, whatever TERM's terminfo
        // says (xterm-256color inside tmux names End \EOF, tmux sends \E[4~): without these an End
        // would arrive as Esc, then [, 4 and ~.
        for (sequence, key) in NcursesScreen.extraKeys { define_key(sequence, key) }
        // After Ctrl-Z and fg the terminal may have left keypad mode: put it back on resume, so
        // the first arrow key is an arrow, not Esc followed by text.
        cs_set_resume_sequence(cn_keypad_transmit())
        set_escdelay(25)
        curs_set(0)
        let wantsColour = colour && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        self.colour = wantsColour && has_colors()
        if self.colour {
            start_color()
            use_default_colors()
            init_pair(Int16(ColourRole.accent.rawValue), Int16(COLOR_CYAN), -1)
            init_pair(Int16(ColourRole.low.rawValue), Int16(COLOR_RED), -1)
            init_pair(Int16(ColourRole.high.rawValue), Int16(COLOR_GREEN), -1)
            init_pair(Int16(ColourRole.bar.rawValue), Int16(COLOR_BLUE), -1)
        }
        if mouse {
            let events = cn_button1_clicked() | cn_button1_released() | cn_button1_double_clicked() | cn_button4_pressed() | cn_button5_pressed()
            mousemask(mmask_t(events), nil)
        }
    }

    deinit { end() }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func end() {
        guard !ended else { return }
        ended = true
        cs_set_resume_sequence(nil)
        cs_set_terminal_restorer(nil)
        endwin()
    }

    public var size: (rows: Int, columns: Int) { (Int(cn_lines()), Int(cn_cols())) }

    public func clear() { erase() }

    public func put(_ text: String, row: Int, column: Int, style: TextStyle) {
        let (rows, columns) = size
        guard row >= 0, row < rows, column < columns else { return }
        let skipped = max(0, -column)
        let visible = String(text.dropFirst(skipped).prefix(columns - max(column, 0)))
        let attributes = attributes(for: style)
        attron(attributes)
        mvaddstr(Int32(row), Int32(max(column, 0)), visible)
        attroff(attributes)
    }

    public func present() { refresh() }

    /// Sends the OSC 52 sequence that terminals (xterm, iTerm2, kitty, tmux with set-clipboard)
    /// take as "copy this"; a terminal without it ignores the sequence. The text is ours (a
    /// command line), base64-encoded, so nothing from a file reaches the terminal raw.
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Sequences for Home, End, PgUp and PgDn that terminals send besides their terminfo's.
    static let extraKeys: [(String, Int32)] = [
        ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
        ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
        ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE),
    ]

    /// Waits up to `milliseconds` (forever when negative) for a key; nil when none came.
    public func readKey(milliseconds: Int32 = -1) -> Key? {
        timeout(milliseconds)
        var wide: wint_t = 0
        let status = get_wch(&wide)
        if status == ERR { return nil }
        if status == cn_key_code_yes() { return functionKey(Int32(wide)) }
        switch wide {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default: return Unicode.Scalar(UInt32(wide)).map { .character(Character($0)) }
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_BTAB: return .backTab
        case cn_key_resize(): return .resize
        case cn_key_mouse():
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = Int(event.bstate)
            if state & Int(cn_button4_pressed()) != 0 { return .wheel(up: true) }
            if cn_button5_pressed() != 0, state & Int(cn_button5_pressed()) != 0 { return .wheel(up: false) }
            if state & Int(cn_button1_double_clicked()) != 0 { return .doubleClick(row: Int(event.y), column: Int(event.x)) }
            return .click(row: Int(event.y), column: Int(event.x))
        default: return nil
        }
    }

    private func attributes(for style: TextStyle) -> Int32 {
        var value: Int32 = 0
        if style.bold { value |= cn_a_bold() }
        if style.reverse { value |= cn_a_reverse() }
        if style.dim { value |= cn_a_dim() }
        if colour, let role = style.colour { value |= cn_color_pair(Int32(role.rawValue)) }
        return value
    }
}
