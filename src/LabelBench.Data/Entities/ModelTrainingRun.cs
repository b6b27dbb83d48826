namespace LabelBench.Data.Entities;

/// <summary>
/// One round of the model loop for a project: a training of the built-in classifier, or an exchange with the
/// project's model service (new labels sent to <c>/train</c>, predictions fetched from <c>/predict</c>).
/// </summary>
public class ModelTrainingRun
{
    public long Id { get; set; }
    public long ProjectId { get; set; }

    /// <summary><c>builtin</c> or <c>service</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The model version the run stored predictions as (<c>builtin-text-v{n}</c>); unique per project.</summary>
    public string? Model { get; set; }

    /// <summary>The schema field the built-in classifier learnt.</summary>
    public string? Field { get; set; }

    /// <summary><c>running</c>, <c>completed</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    /// <summary><c>manual</c> (a lead, the CLI or the API) or <c>auto</c> (every N new labels).</summary>
    public required string Trigger { get; set; }

    public string? UserId { get; set; }

    /// <summary>Final labels the built-in classifier trained on (the service: labels sent).</summary>
    public int TrainedOn { get; set; }

    public int HeldOut { get; set; }
    public double? HeldOutAccuracy { get; set; }

    /// <summary>Predictions stored by the run.</summary>
    public int Predicted { get; set; }

    /// <summary>Final labels the project had when the run started; automatic retraining counts new labels from here.</summary>
    public long LabelsAtStart { get; set; }

    /// <summary>Accuracy against the number of labels, JSON <c>[{"labels", "accuracy"}]</c>.</summary>
    public string? LearningCurveJson { get; set; }

    /// <summary>A service round that sent labels: it sent those that became final before this moment; the next sends the newer ones.</summary>
    public DateTimeOffset? LabelsUntil { get; set; }

    public string? Error { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
