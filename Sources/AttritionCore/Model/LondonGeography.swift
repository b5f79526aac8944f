import Foundation

/// The Metropolitan Police's twelve Basic Command Units and the London boroughs in each (docs/contracts/case-journey-format.md, section 6).
public enum LondonGeography {
    /// A London borough and the BCU that polices it.
    public struct Borough: Sendable, Equatable {
        /// The borough's official name.
        public let name: String
        /// The BCU the borough belongs to.
        public let bcu: String
    }

    /// BCUs and their boroughs, in the contract's order.
    public static let bcus: [(bcu: String, boroughs: [String])] = [
        ("Central West", ["Westminster", "Kensington and Chelsea", "Hammersmith and Fulham"]),
        ("Central North", ["Camden", "Islington"]),
        ("Central East", ["Hackney", "Tower Hamlets"]),
        ("Central South", ["Lambeth", "Southwark"]),
        ("North", ["Enfield", "Haringey"]),
        ("North East", ["Newham", "Waltham Forest"]),
        ("East", ["Barking and Dagenham", "Havering", "Redbridge"]),
        ("South East", ["Bexley", "Greenwich", "Lewisham"]),
        ("South", ["Bromley", "Croydon", "Sutton"]),
        ("South West", ["Kingston upon Thames", "Merton", "Richmond upon Thames", "Wandsworth"]),
        ("West", ["Ealing", "Hillingdon", "Hounslow"]),
        ("North West", ["Barnet", "Brent", "Harrow"]),
    ]

    private static let byKey: [String: Borough] = {
        var map: [String: Borough] = [:]
        for (bcu, boroughs) in bcus {
            for name in boroughs { map[key(name)] = Borough(name: name, bcu: bcu) }
        }
        return map
    }()

    /// The London borough a name refers to, matching case-insensitively and with `&` for `and`.
    public static func borough(named name: String) -> Borough? { byKey[key(name)] }

    /// Lower-cased, `&` read as `and`, runs of spaces folded to one.
    static func key(_ name: String) -> String {
        name.lowercased()
            .replacingOccurrences(of: "&", with: " and ")
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}
