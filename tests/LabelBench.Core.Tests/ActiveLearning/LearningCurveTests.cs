using LabelBench.Core.ActiveLearning;

namespace LabelBench.Core.Tests.ActiveLearning;

public class LearningCurveTests
{
    [Fact]
    public void Sizes_grow_in_ten_percent_steps()
    {
        Assert.Equal([12, 24, 36, 48, 60, 72, 84, 96, 108, 120], LearningCurve.Sizes(120));
        Assert.Equal([1, 2, 3, 4, 5], LearningCurve.Sizes(5));
    }

    [Fact]
    public void Every_point_is_evaluated_on_the_same_held_out_set()
    {
        var training = Enumerable.Range(0, 20).ToList();
        var heldOut = new[] { 100, 101 };
        var seen = new List<IReadOnlyList<int>>();
        var points = LearningCurve.Compute(training, heldOut, (subset, test) =>
        {
            Assert.Same(heldOut, test);
            seen.Add(subset);
            return subset.Count / 20.0;
        }, steps: 4);

        Assert.Equal([5, 10, 15, 20], points.Select(p => p.Labels));
        Assert.Equal([0.25, 0.5, 0.75, 1.0], points.Select(p => p.Accuracy!.Value));
        Assert.Equal(training.Take(10), seen[1]);
    }

    [Fact]
    public void Hold_out_is_reproducible_and_takes_a_fifth()
    {
        var examples = Enumerable.Range(0, 150).ToList();
        var a = HoldOut.Split(examples, 0.2, seed: 7);
        var b = HoldOut.Split(examples, 0.2, seed: 7);
        var c = HoldOut.Split(examples, 0.2, seed: 8);

        Assert.Equal(30, a.HeldOut.Count);
        Assert.Equal(120, a.Training.Count);
        Assert.Equal(a.HeldOut, b.HeldOut);
        Assert.NotEqual(a.HeldOut, c.HeldOut);
        Assert.Equal(examples, a.Training.Concat(a.HeldOut).Order());
    }
}
