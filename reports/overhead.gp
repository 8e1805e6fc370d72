# overhead.gp - the runtime-overhead figure (the paper's Figure 5): one bar
# per usertest, the recovery kernel's time over the RECOVERY=0 kernel's,
# in the order of the data (worst first), with our mean and the paper's
# mean and maximum as lines. Writes OUT.svg and OUT.png.
#
#   gnuplot -e "data='overhead.tsv'; out='overhead'; pmean=1.4; pmax=7; session=2; measure='busy'" \
#           reports/overhead.gp
#
# data: reports/sql/overhead.sql's output (TSV, a header line, the test in
# column 1 and the ratio in column 2); pmean, pmax: from reports/paper.tsv;
# measure: busy or time, what the ratio is of.
set datafile separator "\t"
stats data using 2 skip 1 nooutput
mean = STATS_mean
top = STATS_max > pmax ? STATS_max : pmax

set title sprintf("Runtime overhead of recovery per usertest (benchmark session %d, %s)", \
                session, measure eq "busy" ? "busy time" : "elapsed time")
set ylabel "with recovery / without (RECOVERY=0)"
set xrange [-1:STATS_records]
set yrange [0:top * 1.1]
set xtics rotate by 90 right nomirror font ",7"
set ytics nomirror
set grid ytics
set key top right
set style fill solid 0.8 border -1
set boxwidth 0.8

set terminal svg size 1000,520 font "sans,11" background "white"
set output out . ".svg"
plot data skip 1 using 0:2:xtic(1) with boxes lc rgb "#4477aa" title "ours, per test", \
     mean with lines lw 2 lc rgb "#228833" title sprintf("our mean %.2fx", mean), \
     pmean with lines lw 2 dt 2 lc rgb "#ee6677" title sprintf("paper mean about %gx", pmean), \
     pmax with lines lw 2 dt 3 lc rgb "#aa3377" title sprintf("paper max about %gx", pmax)
set terminal pngcairo size 1000,520 font "sans,9" background "white"
set output out . ".png"
replot
set output
