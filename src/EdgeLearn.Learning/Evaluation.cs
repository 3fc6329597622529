namespace EdgeLearn.Learning;

/// <summary>Loss and accuracy of a model on a labelled set.</summary>
/// <param name="Loss">Mean softmax cross-entropy in nats; 0 for an empty set.</param>
/// <param name="Accuracy">Fraction of samples whose highest-scoring class equals the label, in [0, 1]; 0 for an empty set.</param>
/// <param name="Count">Number of samples evaluated.</param>
public sealed record Evaluation(double Loss, double Accuracy, int Count);
