# the student edited the given loader
