import AttritionCore
import AttritionInterface
import AttritionTerminal
import Foundation
import Testing

/// The settings file: what it sets, what it refuses (with the line), and how the last dimension is kept.
@Suite struct SettingsTests {
    private func write(_ text: String) -> String {
        let folder = NSTemporaryDirectory() + "attrition-settings-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/config.toml"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func everySettingIsRead() throws {
        let path = write("""
        # my defaults
        basis = "closed"
        maturity = 12
        correction = "fdr"
        dimension = "bcu"
        colour = false
        mouse = false
        ascii = true

        [keys]
        "v" = "%"
        """)
        let settings = try Settings.load(path: path)
        #expect(settings.basis == .closed && settings.maturity == 12 && settings.correction == .fdr && settings.dimension == "bcu")
        #expect(!settings.colour && !settings.mouse && settings.ascii)
        #expect(settings.translated(.character("v")) == .character("%"))
        #expect(settings.translated(.character("w")) == .character("w"))
        #expect(try Settings.load(path: path + ".missing") == Settings())
    }

    @Test func aWrongSettingNamesItsLine() {
        let path = write("basis = \"closed\"\nmaturity = \"twelve\"\n")
        do { _ = try Settings.load(path: path) } catch let error as SettingsError {
            #expect(error.description == "\(path), line 2: maturity must be a number of months from 0 (off) to 1200")
        } catch { Issue.record("\(error)") }
        let unknown = write("\n\ncolor = true\n")
        #expect((try? Settings.load(path: unknown)) == nil)
        do { _ = try Settings.load(path: unknown) } catch let error as SettingsError {
            #expect(error.line == 3 && error.reason.hasPrefix("unknown setting 'color'"))
        } catch { Issue.record("\(error)") }
        let broken = write("basis = \n")
        do { _ = try Settings.load(path: broken) } catch let error as SettingsError {
            #expect(error.line == 1 && error.reason.hasPrefix("is not valid TOML"))
        } catch { Issue.record("\(error)") }
    }

    @Test func theStartStateFollowsTheSettings() throws {
        var settings = Settings()
        settings.basis = .closed
        settings.maturity = 12
        settings.dimension = "BCU"
        settings.keys = ["v": "%"]
        let state = try AppState(table: sample.table, report: sample.report, display: Display(rows: 24, columns: 80), settings: settings)
        #expect(state.basis == .closed && state.maturityMonths == 12 && state.dimension == "bcu")
        let direct = try FunnelAnalysis.funnel(of: sample.table, by: sample.table.requireDimension("bcu"), filter: state.filter, basis: .closed)
        #expect(state.breakdown.groups.map { $0.steps.map(\.step) } == direct.groups.map { $0.steps.map(\.step) })
        #expect(press(state, typed("bv")).rateOfReported)
        #expect(rendered(state).text.contains("rates over closed cases · maturity 12m"))
    }

    @Test func theLastDimensionIsKeptWithEverythingElseAsWritten() throws {
        let text = "# mine\nbasis = \"closed\"  # always\n\n[keys]\n\"v\" = \"%\"\n"
        #expect(Settings.remembering(dimension: "bcu", in: text)
            == "# mine\nbasis = \"closed\"  # always\n\ndimension = \"bcu\"\n[keys]\n\"v\" = \"%\"\n")
        let again = Settings.remembering(dimension: "borough", in: Settings.remembering(dimension: "bcu", in: text))
        #expect(again.components(separatedBy: "dimension = ").count == 2 && again.contains("dimension = \"borough\""))
        #expect(Settings.remembering(dimension: "a \"b\"", in: "") == "dimension = \"a \\\"b\\\"\"\n")
        let path = write(text)
        try Settings.remember(dimension: "victim_age_band", path: path)
        #expect(try Settings.load(path: path).dimension == "victim_age_band")
        #expect(try Settings.load(path: path).basis == .closed)
    }
}

@Suite struct SettingsThroughALinkTests {
    /// A settings file kept as a symbolic link is written through it: the link stays a link.
    @Test func aLinkedSettingsFileIsWrittenThroughTheLink() throws {
        let folder = TemporaryFolder()
        let target = folder.write("dotfiles-config.toml", "colour = false\n")
        let path = folder.file("attrition/config.toml")
        try FileManager.default.createDirectory(atPath: folder.file("attrition"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        try Settings.remember(dimension: "bcu", path: path)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == target)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.contains("colour = false") && written.contains("dimension = \"bcu\""))
    }
}

@Suite struct CopiedCommandNewlineTests {
    /// A path with a line end in it is copied as it is, inside quotes, so the command reads the same file.
    @Test func theCopiedCommandKeepsANewlineInsideAValue() throws {
        let result = try CaseImporter(fileName: "new\nline.csv").importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(SampleSpec(cases: 200, seed: 1)))))
        let state = press(try AppState(table: result.table, report: result.report, display: Display(rows: 24, columns: 80)), typed("y"))
        #expect(state.pendingCopy == "attrition funnel 'new\nline.csv'")
        #expect(state.message?.contains("\n") == false)
    }
}
