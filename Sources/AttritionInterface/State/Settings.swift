import AttritionCore
import AttritionTerminal
import Foundation
import TOMLKit

/// What a user has made their default, from `~/.config/attrition/config.toml` (or under
/// `$XDG_CONFIG_HOME`): the rate basis, maturity, the flags' correction, the dimension last
/// broken down by, colour, mouse and drawing characters, and keys of their own.
public struct Settings: Equatable, Sendable {
    /// Rates over all cases or closed cases.
    public var basis = RateBasis.all
    /// Maturity in months, nil for none.
    public var maturity: Int?
    /// How flags are corrected for many groups.
    public var correction = MultipleComparison.holm
    /// The dimension last broken down by.
    public var dimension: String?
    /// Colour on or off (NO_COLOR and `--no-colour` turn it off whatever this says).
    public var colour = true
    /// Mouse reporting on or off.
    public var mouse = true
    /// Plain ASCII drawing.
    public var ascii = false
    /// Keys of the user's own, each standing for one of the interface's (`"v" = "%"`).
    public var keys: [Character: Character] = [:]

    /// The defaults.
    public init() {}

    /// The settings file for `environment`: `$XDG_CONFIG_HOME/attrition/config.toml`, else
    /// `~/.config/attrition/config.toml`.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/attrition/config.toml" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/attrition/config.toml"
    }

    /// The settings in the file at `path`: the defaults when there is no file; a clear error
    /// naming the file and line when it cannot be used.
    public static func load(path: String) throws -> Settings {
        guard FileManager.default.fileExists(atPath: path) else { return Settings() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SettingsError(file: path, line: nil, reason: "cannot be read as UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// The settings in TOML `text`, known as `path` in messages.
    static func parse(_ text: String, path: String) throws -> Settings {
        let root: TOMLTable
        do {
            root = try TOMLDocument.parse(text)
        } catch {
            throw SettingsError(file: path, line: error.line, reason: "is not valid TOML: \(error.reason)")
        }
        let lines = TOMLKeyLines(text)
        func fail(_ key: String, _ reason: String, in table: String = "") -> SettingsError {
            SettingsError(file: path, line: lines.line(table, key) ?? lines.line(key, nil), reason: reason)
        }
        var settings = Settings()
        for key in root.keys {
            let value = root[key]!
            switch key {
            case "basis":
                guard let basis = value.string.flatMap(RateBasis.init(rawValue:)) else { throw fail(key, "basis must be \"all\" or \"closed\"") }
                settings.basis = basis
            case "maturity":
                guard let months = value.int, (0...Maturity.longest).contains(months) else {
                    throw fail(key, "maturity must be a number of months from 0 (off) to \(Maturity.longest)")
                }
                settings.maturity = months == 0 ? nil : months
            case "correction":
                guard let correction = value.string.flatMap(MultipleComparison.init(rawValue:)) else {
                    throw fail(key, "correction must be \"holm\" or \"fdr\"")
                }
                settings.correction = correction
            case "dimension":
                guard let name = value.string else { throw fail(key, "dimension must be text in quotes, like \"bcu\"") }
                settings.dimension = name
            case "colour", "mouse", "ascii":
                guard let flag = value.bool else { throw fail(key, "\(key) must be true or false") }
                if key == "colour" { settings.colour = flag } else if key == "mouse" { settings.mouse = flag } else { settings.ascii = flag }
            case "keys":
                guard let table = value.table else { throw fail(key, "[keys] must be a table of \"your key\" = \"attrition's key\"") }
                for alias in table.keys {
                    guard alias.count == 1, let target = table[alias]?.string, target.count == 1 else {
                        throw fail(alias, "each key must be one character standing for one character, like \"v\" = \"%\"", in: "keys")
                    }
                    settings.keys[alias.first!] = target.first!
                }
            default:
                throw fail(key, "unknown setting '\(key)'; the settings are basis, maturity, correction, dimension, colour, mouse, ascii and [keys]")
            }
        }
        return settings
    }

    /// `key` as the interface takes it: a key of the user's own becomes the one it stands for.
    public func translated(_ key: Key) -> Key {
        guard case .character(let char) = key, let target = keys[char] else { return key }
        return .character(target)
    }

    /// `text` (the settings file as it stands, or nothing) with `dimension = "name"` set, every
    /// other line (comments included) kept as written.
    public static func remembering(dimension name: String, in text: String) -> String {
        let setting = "dimension = \(TOMLText.string(name))"
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        // Only a top-level key: the first table header ends the top level.
        let topLevel = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") } ?? lines.count
        if let index = lines[..<topLevel].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("dimension") }) {
            lines[index] = setting
        } else {
            lines.insert(setting, at: topLevel)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the dimension last broken down by into the settings file at `path` (made, readable
    /// by its owner only, when there is none), keeping everything else in it. A settings file
    /// that is a symbolic link (kept with other dotfiles) is written through the link: the file
    /// it points to is replaced, the link stays.
    public static func remember(dimension name: String, path given: String) throws {
        let path = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        let existing = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = try AtomicFile(destination: path, overwrite: true)
        try file.write(remembering(dimension: name, in: existing))
        try file.commit()
    }
}

/// A settings file that cannot be used: which file, which line, and why.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    /// The settings file.
    public let file: String
    /// The line, where known.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    public var description: String { "\(file)\(line.map { ", line \($0)" } ?? ""): \(reason)" }
}
