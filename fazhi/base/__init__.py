"""The base labels: the hand-labeled units the shipped model is trained on, shipped as
package data so that ``fazhi train MINE.csv --base`` can fit on them beside a user's
own labels. Copies of the files of the same names in the repository's ``labels/``
(the source of truth; a test keeps them equal)."""

FILES = ("seeds.csv", "written.csv", "written-a.csv", "written-b.csv", "written-c.csv", "written-d.csv")
