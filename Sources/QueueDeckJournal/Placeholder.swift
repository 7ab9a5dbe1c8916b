public enum QueueDeckJournalPlaceholder {}
