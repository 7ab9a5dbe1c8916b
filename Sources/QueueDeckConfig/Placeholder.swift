public enum QueueDeckConfigPlaceholder {}
