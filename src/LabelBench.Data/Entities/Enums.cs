namespace LabelBench.Data.Entities;

/// <summary>A member's role in a project; a person may hold several, one membership row each.</summary>
public enum ProjectRole
{
    Annotator = 1,
    Reviewer = 2,
    Lead = 3,
}

public enum AnnotationStatus
{
    Draft = 0,
    Submitted = 1,
    Skipped = 2,
}

public enum AssignmentState
{
    Leased = 0,
    Submitted = 1,
}

public enum AdjudicationKind
{
    Accept = 0,
    Merge = 1,
    Override = 2,
}
