# outcomes.gp - how the campaign's runs ended, per object type: one stacked
# bar per object, one colour per outcome. Writes OUT.svg and OUT.png.
#
#   gnuplot -e "data='outcomes.tsv'; out='outcomes'; colours='#rrggbb ...'" reports/outcomes.gp
#
# data: reports/sql/outcomes.sql's output (TSV, a header line naming the
# outcomes in columns 2 to N-1, the object in column 1, the total in N).
# colours: one per outcome column, from outcome_classes (reports/report.sh).
set datafile separator "\t"
ncols = words(colours)

set title "Outcome of every run, per object type (chosen campaign results)"
set ylabel "runs"
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border -1
set boxwidth 0.7
set xtics rotate by 45 right nomirror
set ytics nomirror
set yrange [0:*]
stats data using (column(ncols + 2)) skip 1 nooutput
if (STATS_max <= 10) set ytics 1
set grid ytics
set key outside right top vertical autotitle columnheader

set terminal svg size 900,480 font "sans,11" background "white"
set output out . ".svg"
plot for [i=2:ncols + 1] data using i:xtic(1) lc rgb word(colours, i - 1)
set terminal pngcairo size 900,480 font "sans,9" background "white"
set output out . ".png"
replot
set output
