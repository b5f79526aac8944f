import Foundation
import Testing

/// Drives the real binary in tmux, as a person would, and checks the screen at each step and
/// that the terminal is given back afterwards. Needs tmux (`.ci/run` installs it).
@Suite(.serialized) struct TerminalSessionTests {
    private let socket = "attrition-test-\(getpid())"

    private var binary: String {
        let here = Bundle.main.bundleURL
        let beside = here.appendingPathComponent("attrition").path
        return FileManager.default.fileExists(atPath: beside) ? beside : here.deletingLastPathComponent().appendingPathComponent("attrition").path
    }

    /// Runs a tmux command on the test's own server. Starting the server must not capture output:
    /// the server would inherit the pipe and hold it open.
    @discardableResult
    private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket] + arguments
        let out = Pipe()
        process.standardOutput = capture ? out : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = capture ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "e2e"]) }

    /// Waits up to ten seconds for `text` to appear on screen; returns the screen.
    private func waitFor(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var shown = ""
        for _ in 0..<100 {
            shown = try screen()
            if shown.contains(text) { return shown }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("'\(text)' never appeared; the screen was:\n\(shown)", sourceLocation: sourceLocation)
        return shown
    }

    private func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", "e2e"] + keys) }

    /// Starts attrition in a tmux session; settings come from `environment` or else from a folder
    /// of the test's own, so a user's settings neither shape nor receive what the tests do.
    private func start(_ arguments: [String] = [], environment: String? = nil) throws {
        let environment = environment ?? "XDG_CONFIG_HOME=\(NSTemporaryDirectory())attrition-e2e-settings-\(UUID().uuidString)"
        #expect((try? tmux(["-V"]))?.hasPrefix("tmux") == true, "tmux is needed for this test: apt-get install -y tmux")
        // The shell traps SIGINT so that Ctrl-C reaches attrition alone and the shell lives to report its status.
        let command = "trap 'true' INT; env LANG=C.UTF-8 TERM=xterm-256color \(environment) '\(binary)'\(arguments.map { " '\($0)'" }.joined()); echo \"attrition exited with $?\"; sleep 30"
        // Through system(3): the tmux server it starts must not inherit descriptors that Process
        // watches, or waiting for the client would never end.
        let quoted = command.replacingOccurrences(of: "'", with: "'\\''")
        let status = system("tmux -L \(socket) new-session -d -s e2e -x 120 -y 40 '\(quoted)' </dev/null >/dev/null 2>&1")
        #expect(status == 0, "tmux could not start a session")
    }

    /// The pane's alternate screen is off and its cursor visible: the terminal was given back.
    private func expectTerminalRestored(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try tmux(["display-message", "-p", "-t", "e2e", "#{alternate_on}"]).hasPrefix("0"), sourceLocation: sourceLocation)
        #expect(try tmux(["display-message", "-p", "-t", "e2e", "#{cursor_flag}"]).hasPrefix("1"), sourceLocation: sourceLocation)
    }

    /// Ends the test's tmux server and removes its socket.
    private func stop() {
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        where folder.hasPrefix("attrition-e2e-settings-") {
            try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + folder)
        }
        let socketPath = (try? tmux(["display-message", "-p", "#{socket_path}"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try? tmux(["kill-server"], capture: false)
        if let socketPath, !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
    }

    @Test func anAnalystOpensAPoliceUKDownloadAsItCame() throws {
        try start([repositoryRoot.appendingPathComponent("SampleData/police-uk-sample.zip").path])
        defer { stop() }
        // Each text waited for on its own: tmux may be caught between two parts of a redraw.
        _ = try waitFor("Funnel: where 2,972 cases went")
        _ = try waitFor("Not recorded: Referred to CPS (police.uk records no referral to the CPS)")
        try keys("i")
        _ = try waitFor("628 anti-social behaviour incidents")
        _ = try waitFor("(stop and search)")
        try keys("q", "d")
        _ = try waitFor("No victim characteristics in this data")
        try keys("Q")
        _ = try waitFor("attrition exited with 0")
        try expectTerminalRestored()
    }

    @Test func escapeOnTheFirstPageStaysAndQAsksBeforeQuitting() throws {
        try start()
        defer { stop() }
        _ = try waitFor("Funnel: where 40,000 cases went")
        try keys("Escape")
        _ = try waitFor("This is the first page: Q quits")
        try keys("q")
        _ = try waitFor("Quit attrition?")
        try keys("n")
        var shown = try waitFor("Still here")
        #expect(shown.contains("Funnel: where 40,000 cases went"))
        try keys("q")
        _ = try waitFor("Quit attrition?")
        try keys("y")
        _ = try waitFor("attrition exited with 0")
        try expectTerminalRestored()
    }

    @Test func settingsSetTheDefaultsAndKeepTheLastDimension() throws {
        let folder = NSTemporaryDirectory() + "attrition-xdg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/attrition", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "# my defaults\nbasis = \"closed\"\n".write(toFile: folder + "/attrition/config.toml", atomically: true, encoding: .utf8)
        try start(environment: "XDG_CONFIG_HOME=\(folder)")
        defer { stop() }
        _ = try waitFor("rates over closed cases")
        try keys("d", "j", "Enter")
        _ = try waitFor("Breakdown by BCU")
        try keys("Q")
        _ = try waitFor("attrition exited with 0")
        let kept = try String(contentsOfFile: folder + "/attrition/config.toml", encoding: .utf8)
        #expect(kept == "# my defaults\nbasis = \"closed\"\ndimension = \"bcu\"\n")
    }

    @Test func colonOpensThePaletteAndRunsACommand() throws {
        try start()
        defer { stop() }
        _ = try waitFor("Funnel: where 40,000 cases went")
        try keys(":")
        _ = try waitFor("breakdown DIM")
        try keys("b", "r", "e", "Tab", "b", "c", "Tab")
        _ = try waitFor(":breakdown bcu_")
        try keys("Enter")
        let shown = try waitFor("Breakdown by BCU")
        #expect(shown.contains("North East"))
        try keys("Q")
        _ = try waitFor("attrition exited with 0")
    }

    @Test func slashFindsAValueInAFilterList() throws {
        try start()
        defer { stop() }
        _ = try waitFor("Funnel: where 40,000 cases went")
        try keys("f", "j", "j", "Tab", "/", "w", "e", "s", "t", "m")
        _ = try waitFor("/westm_")
        try keys("Enter", "Space")
        let shown = try waitFor("Filters: borough = Westminster")
        #expect(shown.contains("[x] Westminster"))
        try keys("Q")
        _ = try waitFor("attrition exited with 0")
    }

    /// End, Home and the page keys as tmux sends them (\e[4~ and the like) under TERM=xterm-256color,
    /// whose terminfo names End otherwise: each is one key, never Esc followed by text.
    @Test func homeAndEndWorkAsTmuxSendsThem() throws {
        try start()
        defer { stop() }
        _ = try waitFor("Funnel: where 40,000 cases went")
        try keys("b")
        _ = try waitFor("Breakdown by Crime type")
        try tmux(["send-keys", "-t", "e2e", "-l", "\u{1B}[4~"])
        var shown = try waitFor("▶ Stalking")
        #expect(!shown.contains("does nothing on this page"))
        try tmux(["send-keys", "-t", "e2e", "-l", "\u{1B}[1~"])
        shown = try waitFor("▶ Domestic abuse")
        #expect(shown.contains("Breakdown by Crime type"), "Home left the breakdown:\n\(shown)")
        try keys("Q")
        _ = try waitFor("attrition exited with 0")
    }

    @Test func aLeadExploresTheSampleAndQuits() throws {
        try start()
        defer { stop() }
        var shown = try waitFor("Funnel: where 40,000 cases went")
        #expect(shown.contains("Referred to CPS"))
        #expect(shown.contains("16 Evidence: victim does not support"))

        try keys("d")
        _ = try waitFor("Break down by")
        try keys("j", "Enter")
        shown = try waitFor("Breakdown by BCU")
        #expect(shown.contains("North East"))
        #expect(shown.contains("Total"))

        try keys("f")
        _ = try waitFor("Values of Crime type")
        try keys("Tab", "j", "j", "j", "j", "Space")
        shown = try waitFor("Filters: crime_type = Rape")
        #expect(shown.contains("[x] Rape"))
        try keys("Escape")
        shown = try waitFor("Breakdown by BCU")
        #expect(shown.contains("2,765 of 40,000 cases"))

        try keys("Enter")
        shown = try waitFor("Cases: Central East: reached Reported")
        #expect(shown.contains("Rape"))
        try keys("Enter")
        shown = try waitFor("Journey")
        #expect(shown.contains("Reported"))

        try keys("?")
        shown = try waitFor("quit at once")
        #expect(shown.contains("Help: case journey"))
        try keys("q")
        _ = try waitFor("Journey")
        try keys("Q")
        shown = try waitFor("attrition exited with 0")
        #expect(!shown.contains("Funnel"))
        try expectTerminalRestored()
    }

    /// Ctrl-Z, then `fg` in an interactive shell: the first arrow key after resuming is an arrow
    /// (it used to arrive as Esc, which quit, with `[B` left for the shell).
    @Test func suspendAndResumeKeepArrowKeysWorking() throws {
        let shell = "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=xterm-256color PS1='shell> ' bash --norc --noprofile -i"
        let status = system("tmux -L \(socket) new-session -d -s e2e -x 120 -y 40 \"\(shell)\" </dev/null >/dev/null 2>&1")
        #expect(status == 0, "tmux could not start a session")
        defer { stop() }
        _ = try waitFor("shell>")
        try keys("'\(binary)'", "Enter")
        _ = try waitFor("Funnel: where")
        try keys("C-z")
        _ = try waitFor("Stopped")
        try keys("fg", "Enter")
        _ = try waitFor("Funnel: where")
        try keys("Down")
        let shown = try waitFor("▶ Referred to CPS")
        #expect(shown.contains("Funnel: where"))
        try keys("Right", "Left", "b")
        _ = try waitFor("Breakdown by")
        try keys("Q")
        _ = try waitFor("shell> ")
        try expectTerminalRestored()
    }

    /// A signal sent to the process (or Ctrl-C typed) ends it with the signal's status and the terminal given back.
    @Test(arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("Ctrl-C", SIGINT), ("USR1", SIGUSR1), ("PIPE", SIGPIPE), ("QUIT", SIGQUIT)])
    func signalsGiveTheTerminalBack(name: String, signal: Int32) throws {
        try start()
        defer { stop() }
        _ = try waitFor("Funnel: where")
        #expect(try tmux(["display-message", "-p", "-t", "e2e", "#{alternate_on}"]).hasPrefix("1"))
        if name == "Ctrl-C" {
            try keys("C-c")
        } else {
            let shell = try tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            let pid = try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
            kill(pid, signal)
        }
        let shown = try waitFor("attrition exited with \(128 + signal)")
        #expect(!shown.contains("Funnel"))
        try expectTerminalRestored()
    }
}
