import AttritionCore
import Foundation
import Testing

/// The small-group methods against values worked out independently here (direct sums of exact
/// probabilities, brute-force maximisation) or published worked examples.
@Suite struct ExactStatisticsTests {
    /// C(n, k) as a Double by the multiplicative formula (no log-gamma).
    private func choose(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        return (0..<min(k, n - k)).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
    }

    /// Fisher's two-sided p by enumerating every table with the same margins.
    private func enumeratedFisher(_ a: Int, _ n1: Int, _ c: Int, _ n2: Int) -> Double {
        let m = a + c, n = n1 + n2
        let probability = { (x: Int) in choose(m, x) * choose(n - m, n1 - x) / choose(n, n1) }
        let observed = probability(a)
        return (max(0, n1 + m - n)...min(n1, m)).map(probability).filter { $0 <= observed * (1 + 1e-7) }.reduce(0, +)
    }

    @Test func fisherMatchesTheTeaTastingExample() throws {
        // Fisher's lady tasting tea: 3 of 4 right each way; two-sided p = 34/70 = 0.4857.
        let p = try #require(ExactMethods.fisherPValue(Proportion(3, of: 4), Proportion(1, of: 4)))
        #expect(abs(p - 34.0 / 70.0) < 1e-12)
    }

    @Test(arguments: [(0, 1, 40, 415), (1, 2, 3, 30), (0, 5, 9, 12), (7, 9, 2, 11), (12, 25, 300, 2000), (0, 1, 0, 3)])
    func fisherMatchesEnumeration(a: Int, n1: Int, c: Int, n2: Int) throws {
        let p = try #require(ExactMethods.fisherPValue(Proportion(a, of: n1), Proportion(c, of: n2)))
        #expect(abs(p - enumeratedFisher(a, n1, c, n2)) < 1e-10)
    }

    @Test func aGroupOfOneOrTwoIsNeverFlagged() {
        // 0 of 1 against 400 of 415: the z-test's p is about 7e-8; no test is valid for one case.
        let flags = Statistics.flags(groups: [Proportion(0, of: 1), Proportion(0, of: 2), Proportion(400, of: 412)],
                                     total: Proportion(400, of: 415))
        #expect(flags.flags[0] == nil && flags.flags[1] == nil)
        #expect(flags.tests[0] == nil && flags.tests[1] == nil)
        #expect(flags.comparisons == 1)
    }

    @Test(arguments: [100, 900])
    func smallTablesRaiseFalseFlagsAtMostFivePercentOfTheTime(perThousand: Int) {
        // Under the null (every group moves on at the same rate), tables of small groups: the
        // pooled z-test with Holm flags something in about 16% of these (worked out aside by
        // simulation); with the exact test, and no test of one or two cases, it is at most 5%.
        var random = SampleRandom(seed: 2026)
        let sizes = [1, 2, 3, 5, 8, 40]
        let simulations = 4000
        var flagged = 0
        for _ in 0..<simulations {
            let groups = sizes.map { n in Proportion((0..<n).filter { _ in random.below(1000) < perThousand }.count, of: n) }
            let total = Proportion(groups.reduce(0) { $0 + $1.count }, of: groups.reduce(0) { $0 + $1.total })
            if Statistics.flags(groups: groups, total: total).flags.contains(where: { $0 != nil }) { flagged += 1 }
        }
        // Three standard errors above 5% allows for simulation noise.
        #expect(Double(flagged) / Double(simulations) <= 0.05 + 3 * (0.05 * 0.95 / Double(simulations)).squareRoot())
    }

    @Test func smallGroupsUseFisherLargeOnesTheZTest() {
        #expect(Statistics.test(for: Proportion(3, of: 29), against: Proportion(300, of: 1000)) == .fisher)
        #expect(Statistics.test(for: Proportion(10, of: 40), against: Proportion(2, of: 1000)) == .fisher) // expected count under 5
        #expect(Statistics.test(for: Proportion(10, of: 40), against: Proportion(300, of: 1000)) == .zTest)
        #expect(Statistics.test(for: Proportion(1, of: 2), against: Proportion(300, of: 1000)) == nil)
    }

    @Test func benjaminiHochbergStepsUp() {
        // Sorted p: 0.01 ≤ 1×0.05/4, 0.02 ≤ 2×0.05/4 = 0.025, 0.04 > 0.0375, 0.3 > 0.05: two rejected.
        #expect(Statistics.benjaminiHochbergRejections([0.04, 0.01, 0.3, 0.02]) == [false, true, false, true])
        // Step-up: 0.045 ≤ 0.05 at rank 4 carries every smaller p with it, where Holm rejects none.
        #expect(Statistics.benjaminiHochbergRejections([0.045, 0.04, 0.03, 0.02]) == [true, true, true, true])
        #expect(Statistics.holmRejections([0.045, 0.04, 0.03, 0.02]) == [false, false, false, false])
        #expect(Statistics.benjaminiHochbergRejections([nil, 0.001]) == [false, true])
    }

    /// P(X ≤ r) for Binomial(n, p) by direct summation.
    private func summedBinomialCDF(_ r: Int, _ n: Int, _ p: Double) -> Double {
        r < 0 ? 0 : (0...min(r, n)).reduce(0) { $0 + choose(n, $1) * pow(p, Double($1)) * pow(1 - p, Double(n - $1)) }
    }

    @Test(arguments: [(5, 0.3, 0.025), (5, 0.3, 0.975), (40, 0.07, 0.001), (40, 0.07, 0.999), (200, 0.5, 0.025), (12, 0.9, 0.975)])
    func exactBinomialLimitMatchesDirectSums(n: Int, p0: Double, level: Double) {
        let r = (0...n).first { summedBinomialCDF($0, n, p0) >= level }!
        let (at, below) = (summedBinomialCDF(r, n, p0), summedBinomialCDF(r - 1, n, p0))
        // Interpolated, then kept within 0 and 1 (a limit below 0% draws at 0%).
        let expected = min(1, max(0, (Double(r) - (at - level) / (at - below)) / Double(n)))
        #expect(abs(ExactMethods.binomialLimit(around: p0, n: n, level: level) - expected) < 1e-9)
    }

    @Test func smallGroupsGetExactFunnelPlotLimits() {
        let limits = Comparison.limits(around: 0.3, n: 5, z: Statistics.z95)
        #expect(limits.lowerBound == ExactMethods.binomialLimit(around: 0.3, n: 5, level: 0.025))
        #expect(limits.upperBound == ExactMethods.binomialLimit(around: 0.3, n: 5, level: 0.975))
    }

    @Test func poissonIntervalsMatchGarwoodsTable() {
        // Published exact limits for a Poisson count (e.g. Garwood 1936; Breslow and Day 1987, table).
        let published: [(Int, Double, Double)] = [(0, 0, 3.6889), (1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904)]
        for (count, low, high) in published {
            let interval = ExactMethods.poissonInterval(count)
            #expect(abs(interval.lowerBound - low) < 1e-4, "\(count)")
            #expect(abs(interval.upperBound - high) < 1e-4, "\(count)")
        }
    }

    @Test func poissonTailsAtTheIntervalBoundsAreTwoAndAHalfPercent() {
        let count = 7
        let interval = ExactMethods.poissonInterval(count)
        let pmf = { (k: Int, mu: Double) in exp(-mu + Double(k) * log(mu) - lgamma(Double(k) + 1)) }
        let upperTail = (count...400).reduce(0) { $0 + pmf($1, interval.lowerBound) }
        let lowerTail = (0...count).reduce(0) { $0 + pmf($1, interval.upperBound) }
        #expect(abs(upperTail - 0.025) < 1e-9)
        #expect(abs(lowerTail - 0.025) < 1e-9)
        // The test matches the interval: expected at a bound gives p = 0.05.
        #expect(abs(ExactMethods.poissonPValue(count, expected: interval.upperBound)! - 0.05) < 1e-9)
    }

    /// The Miettinen–Nurminen statistic with the restricted proportions found by maximising the
    /// likelihood numerically (golden section), not by the closed form.
    private func bruteScore(_ theta: Double, _ x1: Double, _ n1: Double, _ x2: Double, _ n2: Double) -> Double {
        func logLikelihood(_ p2: Double) -> Double {
            let p1 = theta * p2
            func term(_ x: Double, _ n: Double, _ p: Double) -> Double {
                (x > 0 ? x * log(p) : 0) + (n - x > 0 ? (n - x) * log(1 - p) : 0)
            }
            return term(x1, n1, p1) + term(x2, n2, p2)
        }
        var (a, b) = (1e-15, min(1, 1 / theta) - 1e-15)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<200 {
            let c = b - ratio * (b - a), d = a + ratio * (b - a)
            if logLikelihood(c) > logLikelihood(d) { b = d } else { a = c }
        }
        let p2 = (a + b) / 2, p1 = theta * p2, n = n1 + n2
        let variance = (p1 * (1 - p1) / n1 + theta * theta * p2 * (1 - p2) / n2) * n / (n - 1)
        return pow(x1 / n1 - theta * x2 / n2, 2) / variance
    }

    @Test(arguments: [(20, 100, 10, 100), (2, 2, 40, 200), (8, 8, 40, 200), (0, 30, 12, 60), (36, 40, 16, 80)])
    func riskRatioIntervalSolvesTheScoreEquation(x1: Int, n1: Int, x2: Int, n2: Int) throws {
        let interval = try #require(Comparison.riskRatioInterval(Proportion(x1, of: n1), Proportion(x2, of: n2)))
        let z2 = Statistics.z95 * Statistics.z95
        let (a, b, c, d) = (Double(x1), Double(n1), Double(x2), Double(n2))
        if x1 > 0 {
            #expect(abs(bruteScore(interval.lowerBound, a, b, c, d) - z2) < 1e-4)
            #expect(bruteScore(interval.lowerBound * 1.01, a, b, c, d) < z2)
        } else {
            #expect(interval.lowerBound == 0)
        }
        #expect(abs(bruteScore(interval.upperBound, a, b, c, d) - z2) < 1e-4)
        #expect(bruteScore(interval.upperBound * 0.99, a, b, c, d) < z2)
    }

    @Test func riskRatioIntervalBehavesAtZeroAndHundredPercent() throws {
        // The audit's case: 2 of 2 and 8 of 8 got the same Katz interval; the score interval tells them apart.
        let rest = Proportion(140, of: 200)
        let two = try #require(Comparison.riskRatioInterval(Proportion(2, of: 2), rest))
        let eight = try #require(Comparison.riskRatioInterval(Proportion(8, of: 8), rest))
        #expect(two.lowerBound < eight.lowerBound)
        #expect(two.upperBound > eight.upperBound)
        #expect(eight.lowerBound < 1 / 0.7 && eight.upperBound > 1 / 0.7)
        #expect(try #require(Comparison.riskRatioInterval(Proportion(0, of: 5), rest)).lowerBound == 0)
    }

    @Test func indirectStandardisationByHand() throws {
        // Two crime types with different referral rates; BCU A has mostly the low-rate type.
        // Type X: A 10 of 100, B 30 of 300 (rate 0.1). Type Y: A 45 of 50, B 180 of 200 (rate 0.9).
        var rows = [String]()
        var id = 0
        func add(_ bcu: String, _ crime: String, referred: Int, of total: Int) {
            for index in 0..<total {
                id += 1
                rows.append("C\(id),2024-01-01,\(crime),\(bcu),,,,,,,,\(index < referred ? "2024-02-01" : ""),,,,,,1")
            }
        }
        add("A", "X", referred: 10, of: 100); add("B", "X", referred: 30, of: 300)
        add("A", "Y", referred: 45, of: 50); add("B", "Y", referred: 180, of: 200)
        let table = try importText(([fullHeader] + rows).joined(separator: "\n")).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"), adjustFor: table.requireDimension("crime_type"))
        let a = try #require(funnel.groups.first { $0.name == "A" }?.steps[0].adjusted)
        // Expected for A: 100 × 0.1 + 50 × 0.9 = 55; observed 55: no difference once case mix is allowed for.
        #expect(a.observed == 55)
        #expect(abs(a.expected - 55) < 1e-9)
        #expect(abs(a.ratio! - 1) < 1e-12)
        let interval = ExactMethods.poissonInterval(55)
        #expect(abs(a.interval!.lowerBound - interval.lowerBound / 55) < 1e-12)
        #expect(a.flag == nil)
        // Crude: A's 55 of 150 (36.7%) against B's 210 of 500 (42%).
        #expect(funnel.groups[0].steps[0].step == Proportion(55, of: 150))
        #expect(funnel.adjustedFor == "crime_type")
    }

    @Test func overdispersionMatchesAHandComputation() throws {
        // Ten groups around 0.2: ⌊10%·10⌋ = 1 z-score pulled in at each end.
        let groups = [(30, 100), (10, 100), (22, 100), (18, 100), (40, 200), (25, 100), (5, 50), (60, 300), (50, 200), (12, 100)]
            .map { Proportion($0.0, of: $0.1) }
        let p0 = 0.2
        let estimate = try #require(Overdispersion.estimate(groups, around: p0, model: .multiplicative))
        let z = groups.map { ($0.rate! - p0) / (p0 * (1 - p0) / Double($0.total)).squareRoot() }
        let sorted = z.sorted()
        let winsorised = z.map { min(max($0, sorted[1]), sorted[8]) }
        let phi = winsorised.map { $0 * $0 }.reduce(0, +) / 10
        #expect(abs(estimate.phi - phi) < 1e-12)
        let w = groups.map { Double($0.total) / (p0 * (1 - p0)) }
        let tau2 = max(0, (10 * phi - 9) / (w.reduce(0, +) - w.map { $0 * $0 }.reduce(0, +) / w.reduce(0, +)))
        #expect(abs(estimate.tauSquared - tau2) < 1e-15)
        #expect(estimate.winsorisedEachEnd == 1)
        // χ²(9) at 95% is 16.919.
        #expect(abs(estimate.criticalValue - 16.919) < 1e-3)
        // Limits widen by √φ under the multiplicative model.
        let wide = Comparison.limits(around: p0, n: 2000, z: Statistics.z95, overdispersion: estimate)
        #expect(abs((wide.upperBound - p0) - Statistics.z95 * (max(phi, 1) * p0 * (1 - p0) / 2000).squareRoot()) < 1e-12)
    }
}
